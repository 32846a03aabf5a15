from django.db import models

from contacts.constants import ContactType


class RoshLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


# Lowest to highest, for comparing levels.
ROSH_ORDER = {RoshLevel.LOW: 0, RoshLevel.MEDIUM: 1, RoshLevel.HIGH: 2, RoshLevel.VERY_HIGH: 3}
# Status tag colours (GOV.UK tag modifiers); high and very high are red.
ROSH_COLOURS = {RoshLevel.LOW: "green", RoshLevel.MEDIUM: "yellow"}


class MappaLevel(models.TextChoices):
    NONE = "", "Not MAPPA"
    LEVEL_1 = "1", "MAPPA level 1"
    LEVEL_2 = "2", "MAPPA level 2"
    LEVEL_3 = "3", "MAPPA level 3"


class EnquiryKind(models.TextChoices):
    DOMESTIC_ABUSE = "da", "Police domestic abuse call-out enquiry"
    SAFEGUARDING = "safeguarding", "Children's social care safeguarding enquiry"


class EnquiryResult(models.TextChoices):
    PENDING = "", "Waiting for response"
    NO_INCIDENTS = "none", "No incidents"
    INCIDENTS = "incidents", "Incidents found"
    NO_RESPONSE = "no_response", "No response"


ENQUIRY_RESULT_COLOURS = {
    EnquiryResult.NO_INCIDENTS: "green",
    EnquiryResult.INCIDENTS: "red",
    EnquiryResult.NO_RESPONSE: "yellow",
}


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "na", "Not applicable"


class CheckTrigger(models.TextChoices):
    """Changes that call for the police and children's services checks again, whatever the schedule
    (HMPPS domestic abuse and safeguarding policy; see the domain notes)."""

    NEW_RELATIONSHIP = "relationship", "A new relationship"
    NEW_ADDRESS = "address", "A new address"
    CONTACT_WITH_CHILDREN = "children", "Contact with children"
    NEW_INCIDENT = "incident", "A new incident"


class ScheduleSource(models.TextChoices):
    PROTOCOL = "protocol", "Allocation protocol"
    MANUAL = "manual", "Set by hand"


# Contact codes logged when an enquiry is requested and when its response arrives.
ENQUIRY_CONTACT_CODES = {
    EnquiryKind.DOMESTIC_ABUSE: (ContactType.C369, ContactType.C515),
    EnquiryKind.SAFEGUARDING: (ContactType.SFGC, ContactType.SFRR),
}


class MappaCategory(models.TextChoices):
    """MAPPA categories (Criminal Justice Act 2003 s.325; hmpps-tier MappaCategory M1-M4)."""

    NONE = "", "No MAPPA category"
    CATEGORY_1 = "1", "Category 1: registered sexual offender"
    CATEGORY_2 = "2", "Category 2: violent offender"
    CATEGORY_3 = "3", "Category 3: other dangerous offender"
    CATEGORY_4 = "4", "Category 4: terrorist or terrorism-connected offender"


class ComplexityFactor(models.TextChoices):
    """Complexity factors the national tier calculator counts (hmpps-tier ComplexityFactor, with the nDelius
    register codes). Child protection and risk to children come from the risk record's flags."""

    MENTAL_HEALTH = "RMDO", "Mental health issues"
    SELF_HARM = "ALSH", "Attempted suicide or self-harm"
    VULNERABILITY = "RVLN", "Vulnerability issue"
    CHILD_CONCERNS = "RCCO", "Child concerns"
    PUBLIC_INTEREST = "RPIR", "Public interest case"
    ADULT_AT_RISK = "RVAD", "Adult at risk"
    STREET_GANGS = "STRG", "Street gangs"
    TERRORISM = "TACT", "Terrorism"
    IOM = "IIOM", "Integrated offender management (IOM) nominal"


class WomensFactor(models.TextChoices):
    """Additional factors for women (hmpps-tier AdditionalFactorForWomen and breach or recall)."""

    PARENTING = "parenting", "Parenting responsibilities"
    SELF_CONTROL = "self_control", "Impulsivity or temper control problems"
    BREACH_OR_RECALL = "breach_recall", "Breach or recall in the last 12 months"


class Need(models.TextChoices):
    """Criminogenic needs from the OASys assessment (hmpps-tier Need)."""

    ACCOMMODATION = "accommodation", "Accommodation"
    ETE = "ete", "Education, training and employability"
    RELATIONSHIPS = "relationships", "Relationships"
    LIFESTYLE = "lifestyle", "Lifestyle and associates"
    DRUGS = "drugs", "Drug misuse"
    ALCOHOL = "alcohol", "Alcohol misuse"
    THINKING = "thinking", "Thinking and behaviour"
    ATTITUDES = "attitudes", "Attitudes"


class NeedSeverity(models.TextChoices):
    NO_NEED = "", "No need"
    STANDARD = "standard", "Standard"
    SEVERE = "severe", "Severe"


class ProtectLevel(models.TextChoices):
    A = "A", "A (highest)"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D (lowest)"


# Tag colours for the protect level: red A, orange B, yellow C, green D.
PROTECT_COLOURS = {ProtectLevel.A: "red", ProtectLevel.B: "orange", ProtectLevel.C: "yellow", ProtectLevel.D: "green"}
