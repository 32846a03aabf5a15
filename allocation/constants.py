from django.db import models


class Specialism(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SEXUAL_OFFENCES = "sexual_offences", "Sexual offences"
    MENTAL_HEALTH = "mental_health", "Mental health"
    YOUNG_ADULTS = "young_adults", "Young adults (18 to 25)"
    WOMEN = "women", "Women"


# Tiers as the national calculator gives them (risk.tier): protect level A (highest) to D, change level 3 to 0.
TIERS = [f"{protect}{change}" for protect in "ABCD" for change in (3, 2, 1, 0)]
TIER_CHOICES = [(code, f"Tier {code}") for code in TIERS]


FLAG_CHOICES = [
    ("domestic_abuse", "Domestic abuse"),
    ("restraining_order", "Restraining order in force"),
    ("child_protection", "Child protection concerns"),
]

# A case whose RoSH is not screened yet (a protocol condition can name it, alongside the RoSH levels).
UNSCREENED = "unscreened"
# A case that is not MAPPA (a protocol condition names it alongside MAPPA levels 1 to 3).
NOT_MAPPA = "none"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the receiving team"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
