"""Value lists from HTCDS 2.0 (DATA-STANDARDS.md), spelled as in the standard.

The stored value is the standard's code; the label is what a person reads.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class TraffickingStatus(models.TextChoices):
    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class StatusDecidedBy(models.TextChoices):
    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT = "CourtOrProsecution", _("Court or prosecution")
    GOVERNMENT = "NonPoliceGovernmentalOrganization", _("Non-police government body")
    OTHER = "Other", _("Other")


class RelationshipToTrafficker(models.TextChoices):
    FAMILIAL = "Familial", _("Family")
    ACQUAINTED = "Acquainted", _("Acquaintance")
    # Spelled as in HTCDS 2.0.
    UNACQUAINTED = "Unaquainted", _("Stranger")


class MethodOfRecruitment(models.TextChoices):
    PLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("At a place of business")
    EDUCATIONAL_INSTITUTION = "AtAnEducationalInstitution", _("At a school or university")
    AT_WORK = "AtWork", _("At work")
    ONLINE_SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("Through online social networks")
    ONLINE_ADVERTISEMENT = "ThroughAnOnlineAdvertisement", _("Through an online job advertisement")
    TELEVISION_ADVERT = "ThroughATelevisionAdvert", _("Through a television advert")
    NEWSPAPER_ADVERT = "ThroughANewspaperAdvert", _("Through a newspaper advert")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("Through family")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("Through friends")
    OTHER = "Other", _("Other")


class RecruitmentApp(models.TextChoices):
    FACEBOOK = "Facebook", "Facebook"
    INSTAGRAM = "Instagram", "Instagram"
    WHATSAPP = "WhatsApp", "WhatsApp"
    TELEGRAM = "Telegram", "Telegram"
    FACEBOOK_MESSENGER = "FacebookMessenger", "Facebook Messenger"
    VIBER = "Viber", "Viber"
    SNAPCHAT = "SnapChat", "Snapchat"
    LINE = "Line", "LINE"
    FOURSALE = "4Sale", "4Sale"
    WECHAT = "WeChat", "WeChat"
    QQ = "QQ", "QQ"
    QZONE = "QZone", "QZone"
    TIKTOK = "TikTok", "TikTok"
    TWITTER = "Twitter", "Twitter"
    OTHER = "Other", _("Other")


class MethodOfControl(models.TextChoices):
    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW_ENFORCEMENT = "ThreatsLawEnforcement", _("Threats of police or deportation")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("Threats against family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCIAL_ACCESS = "RestrictsFinancialAccess", _("Restricts access to money")
    RESTRICTS_MEDICAL_CARE = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds food, water or sleep")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE_SUBSTANCE = "PsychoactiveSubstance", _("Forced drug use")
    EXCESSIVE_WORKING_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds passport or documents")
    # In the HTCDS definitions but missing from its picklist.
    RESTRICTS_MOVEMENT = "RestrictsMovement", _("Restricts movement (locked in, guarded)")
    OTHER = "Other", _("Other")


class TypeOfExploitation(models.TextChoices):
    # Extension: forced online scamming. Exported to HTCDS as ForcedLabour (industry J/R) with a
    # note, and kept as its own category in UNODC-style tables.
    FORCED_CRIMINALITY = "ForcedCriminality", _("Forced criminality (forced scamming)")
    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = (
        "ForcedMilitaryByNonStateActors",
        _("Forced military service by non-state actors"),
    )
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    OTHER = "Other", _("Other")


# CTDC age bands (DATA-STANDARDS.md), as (lowest age, label).
AGE_BANDS: list[tuple[int, str]] = [
    (0, "0--8"),
    (9, "9--17"),
    (18, "18--20"),
    (21, "21--23"),
    (24, "24--26"),
    (27, "27--29"),
    (30, "30--38"),
    (39, "39--47"),
    (48, "48+"),
]


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    label = ""
    for lowest, band in AGE_BANDS:
        if age >= lowest:
            label = band
    return label
