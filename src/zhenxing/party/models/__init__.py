"""Party building's models: organisations (``orgs``), members and the pipeline (``members``),
village cadres and reserve talent (``cadres``), training (``training``), and the summary table
the dashboards read (``figures``)."""

from zhenxing.party.models.cadres import (
    POST_BODY,
    SINGLE_SEAT_POSTS,
    TWO_COMMITTEE_POSTS,
    Body,
    CadrePosition,
    Post,
    ReserveTalent,
    SecretarySource,
    TalentProgress,
    TalentTrack,
    TraineeCategory,
)
from zhenxing.party.models.figures import VillagePartyFigures
from zhenxing.party.models.members import (
    MEMBER_STAGES,
    STAGE_DATE,
    STAGE_ORDER,
    PartyMember,
    PipelineException,
    Stage,
)
from zhenxing.party.models.orgs import (
    VILLAGE_KINDS,
    FunctionalGroup,
    GroupFunction,
    OrganizationKind,
    PartyOrganization,
    SocialOrganization,
)
from zhenxing.party.models.training import (
    Attendance,
    AttendanceResult,
    Course,
    CourseOrder,
    DeliveryMode,
    OrderOrigin,
    TrainingSession,
)

__all__ = [
    "MEMBER_STAGES",
    "POST_BODY",
    "SINGLE_SEAT_POSTS",
    "STAGE_DATE",
    "STAGE_ORDER",
    "TWO_COMMITTEE_POSTS",
    "VILLAGE_KINDS",
    "Attendance",
    "AttendanceResult",
    "Body",
    "CadrePosition",
    "Course",
    "CourseOrder",
    "DeliveryMode",
    "FunctionalGroup",
    "GroupFunction",
    "OrderOrigin",
    "OrganizationKind",
    "PartyMember",
    "PartyOrganization",
    "PipelineException",
    "Post",
    "ReserveTalent",
    "SecretarySource",
    "SocialOrganization",
    "Stage",
    "TalentProgress",
    "TalentTrack",
    "TraineeCategory",
    "TrainingSession",
    "VillagePartyFigures",
]
