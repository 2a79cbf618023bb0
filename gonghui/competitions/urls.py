from gonghui.competitions.views import certificates, entries, judging, mine, office, results_office
from gonghui.core.routes import route

app_name = "competitions"
urlpatterns: list = [
    # office: the competition office runs the editions (views/office.py, views/results_office.py)
    # participants: colleges, contestants, judges (views/entries.py, judging.py, mine.py, certificates.py)
]
