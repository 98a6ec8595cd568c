"""Every route the SDK calls, spelled once as in sdks/openapi.json (tests/test_openapi.py checks
each against the document), and how a call fills in its path parameters and query."""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Tuple, Union


@dataclass(frozen=True)
class Route:
    method: str
    #: OpenAPI path template, e.g. "/v1/states/{state_id}".
    path: str


ROUTES: Dict[str, Route] = {
    "health": Route("GET", "/healthz"),
    "eval": Route("POST", "/v1/eval"),
    "create_state": Route("POST", "/v1/states"),
    "state_eval": Route("POST", "/v1/states/{state_id}/eval"),
    "state_fork": Route("POST", "/v1/states/{state_id}/fork"),
    "state_info": Route("GET", "/v1/states/{state_id}"),
    "state_delete": Route("DELETE", "/v1/states/{state_id}"),
    "tools": Route("GET", "/v1/tools"),
    "submit_batch": Route("POST", "/v1/batches"),
    "batch_get": Route("GET", "/v1/batches/{batch_id}"),
    "batch_cancel": Route("DELETE", "/v1/batches/{batch_id}"),
}


def route_to(
    route: Route,
    params: Optional[Mapping[str, str]] = None,
    query: Optional[Mapping[str, Union[int, str, None]]] = None,
) -> Tuple[str, str]:
    """The method and concrete path of ``route``: ``{name}`` filled from ``params`` (URL-encoded),
    then ``query`` (None values left out)."""
    values = params or {}

    def fill(m: "re.Match[str]") -> str:
        if m.group(1) not in values:
            raise TypeError(f"{route.path}: no value for {{{m.group(1)}}}")
        return urllib.parse.quote(values[m.group(1)], safe="")

    path = re.sub(r"\{(\w+)\}", fill, route.path)
    pairs = [(k, str(v)) for k, v in (query or {}).items() if v is not None]
    return route.method, f"{path}?{urllib.parse.urlencode(pairs)}" if pairs else path
