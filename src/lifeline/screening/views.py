from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from lifeline.accounts.decorators import member_required
from lifeline.core.http import MemberRequest
from lifeline.screening import model, scoring
from lifeline.screening.forms import OfferForm


@member_required("can_screen_offers")
def screen(request: MemberRequest) -> HttpResponse:
    """Screen a pasted offer. The result is rendered, never stored."""
    form = OfferForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = scoring.screen_offer(form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
    context = {
        "form": form,
        "result": result,
        "model": model.load_or_none(),
        "advice": scoring.ADVICE,
    }
    return render(request, "screening/screen.html", context)
