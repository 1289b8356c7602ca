from __future__ import annotations

import strawberry

from api.auth import Role
from api.context import Info
from api.permissions import Requires
from api.questionnaires.types import Questionnaire, QuestionnaireResults, RfmSegment
from domain.questionnaires import definitions, results


@strawberry.type
class QuestionnaireQueries:
    @strawberry.field(description="Active questionnaires for members; all for ADMIN.")
    async def questionnaires(self, info: Info) -> list[Questionnaire]:
        viewer = info.context.viewer()
        admin = viewer is not None and viewer.role is Role.ADMIN
        found = await definitions.listing(include_inactive=admin)
        return [Questionnaire.from_model(questionnaire) for questionnaire in found]

    @strawberry.field(
        extensions=[Requires(Role.ADMIN)],
        description="Filtered by tier or RFM segment when given. Null for an unknown key.",
    )
    async def questionnaire_results(
        self,
        info: Info,
        key: str,
        tier: str | None = None,
        segment: RfmSegment | None = None,  # type: ignore[valid-type]
    ) -> QuestionnaireResults | None:
        questionnaire = await definitions.find(key)
        if questionnaire is None:
            return None
        found = await results.results(
            questionnaire, tier, segment.value if segment is not None else None
        )
        return QuestionnaireResults.of(found)
