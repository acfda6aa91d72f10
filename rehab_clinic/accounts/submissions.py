"""Submit once: a form that creates a record carries a one-time key; a repeat gets the first answer.

Use, per form: `{% submission_key %}` inside the `<form>` (templatetags/submissions.py) and
`@submitted_once` on the view, under its access decorator. The view runs in one transaction that
first claims the key (`SubmissionKey`, unique per user). A redirect is remembered as the answer;
any other answer (a form with errors) gives the key back and keeps nothing the attempt wrote.
A repeat of a claimed key, even one racing the first on another connection, is answered with the
first redirect and never reaches the view. A POST without a key behaves as before.
"""

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect

from rehab_clinic.accounts.models import SubmissionKey

FIELD = "submission_key"
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
REPEAT_MESSAGE = "That was already saved; nothing was added twice."

View = TypeVar("View", bound=Callable[..., Any])


def new_key() -> str:
    return secrets.token_urlsafe(24)


def posted_key(request: HttpRequest) -> str:
    """The key sent with a POST, or "" when there is none or it is not one of ours."""
    if request.method != "POST":
        return ""
    key = request.POST.get(FIELD, "")
    return key if _SHAPE.match(key) else ""


class _NotKept(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def submitted_once(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = posted_key(request)
        if not key or not request.user.is_authenticated:
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]
        try:
            with transaction.atomic():
                claim = SubmissionKey.objects.create(user=request.user, key=key)
                response: HttpResponse = view(request, *args, **kwargs)
                if not isinstance(response, HttpResponseRedirect):
                    raise _NotKept(response)
                claim.result_url = response["Location"][:500]
                claim.save(update_fields=["result_url"])
        except _NotKept as refused:
            return refused.response
        except IntegrityError:
            first = SubmissionKey.objects.filter(user=request.user, key=key).first()
            if first is None or not first.result_url:
                raise
            messages.info(request, REPEAT_MESSAGE)
            return redirect(first.result_url)
        return response

    return wrapper  # type: ignore[return-value]
