"""What every FHIR test asks of a bundle: each resource valid for fhir.resources' R4B models
(the resources used here are unchanged from R4), and every reference resolving in the bundle."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B.bundle import Bundle


def resource_class(resource_type: str) -> Any:
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def validate_each(bundle: dict[str, Any]) -> Bundle:
    """Raises pydantic's ValidationError naming the element of the first invalid resource."""
    for entry in bundle["entry"]:
        resource = entry["resource"]
        resource_class(resource["resourceType"]).model_validate(resource)
    return Bundle.model_validate(bundle)


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def unresolved(bundle: dict[str, Any]) -> set[str]:
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    return {ref for ref in references(bundle) if ref not in full_urls}


UUID_URN = re.compile(
    r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)
