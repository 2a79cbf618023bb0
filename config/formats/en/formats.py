"""How dates and numbers read in English (FORMAT_MODULE_PATH; Django's own en module fills
whatever is not set here): 1 Mar 2021, 1,234.50."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M, H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
