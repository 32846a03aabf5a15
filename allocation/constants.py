from django.db import models


class Specialism(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SEXUAL_OFFENCES = "sexual_offences", "Sexual offences"
    MENTAL_HEALTH = "mental_health", "Mental health"
    YOUNG_ADULTS = "young_adults", "Young adults (18 to 25)"
    WOMEN = "women", "Women"


class CaseLevel(models.TextChoices):
    A = "A", "A (lowest)"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D (highest)"


FLAG_CHOICES = [
    ("domestic_abuse", "Domestic abuse"),
    ("restraining_order", "Restraining order in force"),
    ("child_protection", "Child protection concerns"),
]
