"""Forms of the stage pages: set a stage, answer a suggestion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.errors import DomainError
from coproduce.stages.models import StageChoices


class StageForm(forms.Form):
    """An official sets the region's stage from a date."""

    stage = forms.TypedChoiceField(label=_("Stage"), choices=StageChoices.choices, coerce=int)
    effective_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def add_domain_error(self, exc: DomainError) -> None:
        """A service's field errors beside their fields (or at the top)."""
        if not exc.fields:
            self.add_error(None, exc.message)
        for name, problems in exc.fields.items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, problem)


class SuggestionForm(forms.Form):
    """Accept or dismiss the suggested stage."""

    stage = forms.TypedChoiceField(choices=StageChoices.choices, coerce=int)
    decision = forms.ChoiceField(choices=[("accepted", "accepted"), ("dismissed", "dismissed")])
