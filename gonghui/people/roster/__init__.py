"""Staff roster import (人事名册导入): read HR's .xlsx/.csv, classify rows, write on confirm.

- reading.py: the limits, streaming .xlsx/.csv reading, Chinese header mapping
- validation.py: one row's cells → clean values or a reason; duplicates across the file
- services.py: roster_classify / roster_write, units mapping, the command's roster_import_file
- kind.py: the core import kind (preview record, confirm once, apply in the worker)
"""
