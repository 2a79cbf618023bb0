from gonghui.core.routes import route  # noqa: F401  (each section below adds its routes)

app_name = "mentorship"
urlpatterns: list = [
    # office pages: cohorts, rules, candidates, matching, pairs, duties, assessment, stipends (views/office*.py)
    # teacher profiles and their import (views/profiles.py)
    # participants: a mentor's and a mentee's own pairs, duty logging, rankings (views/mine.py)
]
