"""How dates and numbers read in Chinese (FORMAT_MODULE_PATH; Django's own zh_Hans module
fills whatever is not set here): 2021年3月1日, 1,234.50."""

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "n月j日 H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
