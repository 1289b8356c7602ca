"""/admin/questionnaires/<key>/results: a questionnaire's results (members' latest answers),
overall or among one tier's members or one RFM segment's. Reads only, through the API's
`questionnaireResults`. The list and the form are the generic definition pages
(`api.console.definitions.QUESTIONNAIRES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.console import graphql
from api.console.rendering import render
from api.console.session import require_admin
from gamification.rfm import RfmSegment

MAX_FILTER = 100  # a tier key's longest

RESULTS = """
query ConsoleQuestionnaireResults($key: String!, $tier: String, $segment: RfmSegment) {
  questionnaireResults(key: $key, tier: $tier, segment: $segment) {
    questionnaire { key title questions { key prompt kind } }
    respondents
    questions { question responses counts { option count } mean nps }
  }
}
"""


@dataclass(frozen=True)
class ResultFilters:
    tier: str
    segment: str

    @classmethod
    def of(cls, request: Request) -> ResultFilters:
        params = request.query_params
        segment = params.get("segment", "").strip()
        return cls(
            tier=params.get("tier", "").strip()[:MAX_FILTER],
            # An unknown segment is no filter (the select offers only known ones).
            segment=segment if segment in RfmSegment.__members__ else "",
        )


async def results_page(request: Request) -> Response:
    await require_admin(request)
    key = request.path_params["key"]
    filters = ResultFilters.of(request)
    data = await graphql.query(
        request,
        RESULTS,
        key=key,
        tier=filters.tier or None,
        segment=filters.segment or None,
    )
    found: dict[str, Any] | None = data["questionnaireResults"]
    if found is None:
        raise HTTPException(404, "Nothing has this key.")
    prompts = {q["key"]: q for q in found["questionnaire"]["questions"]}
    return render(
        request,
        "questionnaire_results.html",
        results=found,
        prompts=prompts,
        filters=filters,
        segments=list(RfmSegment.__members__),
    )


routes = [Route("/questionnaires/{key}/results", results_page, methods=["GET"])]
