"""Benchmark of health-code tokens: issue and verify rates against a bare ES256 verify.

Run from the repository root:

    python benchmarks/bench_tokens.py            # the full run (about a minute)
    python benchmarks/bench_tokens.py --quick    # a smoke run

The figure that matters is the ratio of ``token_verify`` to a bare ``cryptography`` ES256
verify of the same signed bytes, measured in interleaved blocks in the same process so that
other load on the machine hits both sides alike (target: >= 80%). Rates use the process's CPU
time (``time.process_time``) and the median over blocks. It prints Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import base45  # noqa: E402
import cryptography  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature  # noqa: E402

from coproduce.health_codes import tokens as T  # noqa: E402
from coproduce.health_codes.rules import Color  # noqa: E402

NOW = dt.datetime(2020, 2, 10, 8, 0, tzinfo=dt.UTC)
ISSUER = "CN-ZJ"
COLORS = [Color.GREEN, Color.GREEN, Color.GREEN, Color.YELLOW, Color.RED]


def make_tokens(key: T.SigningKey, count: int) -> list[str]:
    return [
        T.token_issue(
            claims=T.token_claims(
                kind=T.TokenKind.LIVE,
                issuer=ISSUER,
                subject=f"R{i:012d}",
                color=COLORS[i % len(COLORS)],
                now=NOW,
            ),
            key=key,
        )
        for i in range(count)
    ]


def bare_inputs(payloads: list[str]) -> list[tuple[bytes, bytes]]:
    """What a bare verify needs for the same tokens: the DER signature and the signed bytes."""
    out = []
    for payload in payloads:
        parsed = T._parse(payload)
        sig = parsed.signature
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        out.append((der, T._sig_structure(parsed.protected, parsed.payload)))
    return out


def trust_with(key: T.SigningKey, extra: int) -> dict[bytes, T.TrustedKey]:
    keys = [T.key_generate() for _ in range(extra)] + [key]
    return T.trust_list(
        T.trusted_key_load(public_key=T.key_public_b64(k), issuer=ISSUER) for k in keys
    )


def block_verify(payloads, trust) -> float:
    start = time.process_time()
    for payload in payloads:
        if T.token_verify(payload, trust=trust, now=NOW).result is not T.VerificationResult.VALID:
            raise SystemExit("a benchmark token did not verify")
    return time.process_time() - start


def block_verify_many(payloads, trust) -> float:
    start = time.process_time()
    results = T.token_verify_many(payloads, trust=trust, now=NOW)
    elapsed = time.process_time() - start
    if any(r.result is not T.VerificationResult.VALID for r in results):
        raise SystemExit("a benchmark token did not verify")
    return elapsed


def block_bare(inputs, public_key) -> float:
    algorithm = T._ECDSA
    start = time.process_time()
    for der, data in inputs:
        public_key.verify(der, data, algorithm)
    return time.process_time() - start


def block_issue(key: T.SigningKey, count: int) -> float:
    start = time.process_time()
    make_tokens(key, count)
    return time.process_time() - start


def interleaved(
    payloads, inputs, trust, public_key, *, rounds: int, ours_block=block_verify
) -> dict[str, float]:
    """Median rates of bare verify and token_verify over alternating blocks, and their ratio."""
    bare_times, ours_times, ratios = [], [], []
    for _ in range(rounds):
        bare = block_bare(inputs, public_key)
        ours = ours_block(payloads, trust)
        bare_times.append(bare)
        ours_times.append(ours)
        ratios.append(bare / ours)
    n = len(payloads)
    return {
        "bare_rate": n / statistics.median(bare_times),
        "ours_rate": n / statistics.median(ours_times),
        "ratio": statistics.median(ratios),
    }


def peak_traced(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    block = 200 if args.quick else 1000
    rounds = 3 if args.quick else 15

    key = T.key_generate()
    payloads = make_tokens(key, block)
    inputs = bare_inputs(payloads)
    trust = trust_with(key, 0)
    public_key = trust[key.kid].public_key
    block_verify(payloads[:50], trust)  # warm up
    block_bare(inputs[:50], public_key)

    main_run = interleaved(payloads, inputs, trust, public_key, rounds=rounds)
    batch_run = interleaved(
        payloads, inputs, trust, public_key, rounds=rounds, ours_block=block_verify_many
    )
    issue_times = [block_issue(key, block // 4) for _ in range(max(3, rounds // 3))]
    issue_rate = (block // 4) / statistics.median(issue_times)

    # The same verify with the base45 package's decoder, to show why tokens.py has its own.
    fast_decoder = T._b45decode
    T._b45decode = lambda text: base45.b45decode(text)
    try:
        package_run = interleaved(payloads, inputs, trust, public_key, rounds=max(3, rounds // 3))
    finally:
        T._b45decode = fast_decoder

    # Growth: trust list x10 and x100, and ten times as many tokens.
    trust_rows = []
    for extra in (9, 99, 999):
        bigger = trust_with(key, extra)
        run = interleaved(payloads, inputs, bigger, public_key, rounds=max(3, rounds // 3))
        trust_rows.append((len(bigger), run))
    token_rows = []
    for count in (block, 10 * block):
        many = make_tokens(key, count)
        results: list = []

        def verify_all(many=many, results=results) -> None:
            results.extend(T.token_verify(p, trust=trust, now=NOW) for p in many)

        peak = peak_traced(verify_all)
        start = time.process_time()
        for payload in many:
            T.token_verify(payload, trust=trust, now=NOW)
        rate = count / (time.process_time() - start)
        token_rows.append((count, rate, peak))

    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    print(f"Python {platform.python_version()}, cryptography {cryptography.__version__}, ")
    print(f"{platform.machine()}, {block} distinct live tokens, {rounds} interleaved rounds.")
    print()
    print("| measure | per second | vs bare verify |")
    print("| --- | ---: | ---: |")
    print(f"| bare `cryptography` ES256 verify | {main_run['bare_rate']:,.0f} | 100% |")
    print(f"| `token_verify` | {main_run['ours_rate']:,.0f} | {main_run['ratio']:.0%} |")
    print(
        f"| `token_verify_many` (batches of {block}) | {batch_run['ours_rate']:,.0f} "
        f"| {batch_run['ratio']:.0%} |"
    )
    print(
        f"| `token_verify` with `base45.b45decode` | {package_run['ours_rate']:,.0f} "
        f"| {package_run['ratio']:.0%} |"
    )
    print(f"| `token_issue` (claims + sign + encode) | {issue_rate:,.0f} | |")
    print()
    print("| trust list keys | `token_verify` per second | vs bare verify |")
    print("| ---: | ---: | ---: |")
    print(f"| 1 | {main_run['ours_rate']:,.0f} | {main_run['ratio']:.0%} |")
    for size, run in trust_rows:
        print(f"| {size:,} | {run['ours_rate']:,.0f} | {run['ratio']:.0%} |")
    print()
    print("| tokens verified | per second | tracemalloc peak (results kept) | per token |")
    print("| ---: | ---: | ---: | ---: |")
    for count, rate, peak in token_rows:
        print(f"| {count:,} | {rate:,.0f} | {peak / 1024:,.0f} KiB | {peak / count:,.0f} B |")
    print()
    print(f"Process peak resident memory (ru_maxrss): {maxrss_kib / 1024:,.1f} MiB")


if __name__ == "__main__":
    main()
