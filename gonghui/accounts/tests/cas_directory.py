"""The university's staff directory behind the test CAS server (django-cas-server).

It is deliberately separate from gonghui's own users: CAS only says "this is staff number
X"; whether X may use gonghui is decided by gonghui's roster."""

from cas_server.auth import AuthUser

#: staff number -> directory password. Tests may add entries and must remove them.
STAFF_DIRECTORY = {
    "E0001": "campus-pass-E0001",  # 张伟, on the union roster
    "E0099": "campus-pass-E0099",  # 陈静, on the union roster
    "X9999": "campus-pass-X9999",  # in the university directory, not on the union roster
}


class StaffDirectoryAuthUser(AuthUser):
    def test_password(self, password):
        return self.username in STAFF_DIRECTORY and STAFF_DIRECTORY[self.username] == password

    def attributs(self):
        if self.username not in STAFF_DIRECTORY:
            return {}
        return {"staff_no": self.username}
