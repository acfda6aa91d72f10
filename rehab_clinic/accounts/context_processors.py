from typing import Any

from django.http import HttpRequest

from rehab_clinic.accounts.navigation import account_items, items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "account_links": []}
    if getattr(request, "second_factor_pending", False):
        # Signed in with a password only: nothing to navigate to until the second step is done.
        return {"nav_links": [], "account_links": [], "current_clinic": user.clinic}
    return {
        "nav_links": items_for(user.role, user),
        "account_links": account_items(),
        "current_clinic": user.clinic,
    }
