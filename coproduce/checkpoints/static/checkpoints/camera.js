// Reads QR codes from the phone's camera with jsQR (from its npm package, loaded as a classic
// script before this module): frames are drawn on a canvas and decoded a few times a second.

export function startCamera({ video, canvas, onCode, isPaused }) {
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let stopped = false;
  let last = 0;
  const constraints = { video: { facingMode: "environment", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false };
  const started = navigator.mediaDevices.getUserMedia(constraints).then((stream) => {
    video.srcObject = stream;
    video.hidden = false;
    video.setAttribute("playsinline", "");
    return video.play().then(() => {
      const tick = (time) => {
        if (stopped) return;
        // About 8 decodes a second: enough for a person holding up a phone, light on a cheap CPU.
        if (time - last > 120 && !isPaused() && video.readyState >= 2) {
          last = time;
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          const image = context.getImageData(0, 0, canvas.width, canvas.height);
          const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
          if (code && code.data) onCode(code.data);
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      return stream;
    });
  });
  return {
    started,
    stop() {
      stopped = true;
      started.then((stream) => stream.getTracks().forEach((t) => t.stop())).catch(() => {});
    },
  };
}
