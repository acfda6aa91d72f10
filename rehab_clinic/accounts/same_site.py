"""Where a page may send someone next: a page of this site and nowhere else.

Every address the app follows on someone's behalf (a `next` or `back` parameter, the Referer of a
form that needs "Confirm it is you", the page an htmx request came from) goes through
`page_on_this_site`, so the rule is written once.
"""

from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def page_on_this_site(request: HttpRequest, url: str) -> str:
    """The path, query and fragment of `url` when it names a page of this site, else "".

    A page of this site is a path ("/patients/?q=ann") or an address on the request's own host,
    over https when the request is ("https://clinic.example/patients/"); the answer is always
    the path form, so a redirect to it cannot leave the site. A bare word (a date, a view name)
    is neither, and neither is a path that a browser would read as another host ("//evil.example",
    "/\\evil.example").
    """
    if not url or not (url.startswith("/") or urlsplit(url).netloc):
        return ""
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    path = parts.path or "/"
    # "https://clinic.example//evil.example/" is on this host, but its path alone is an address
    # of another one.
    if path.startswith(("//", "/\\")):
        return ""
    return urlunsplit(("", "", path, parts.query, parts.fragment))
