"""Staff roster import (人事名册导入): read HR's .xlsx/.csv, classify rows, write on confirm.

- reading.py: file checks, streaming .xlsx/.csv reading, Chinese header mapping
- validation.py: one row's cells → clean values or a reason; duplicates across the file
- services.py: roster_import_preview / roster_import_confirm / roster_import_apply
"""
