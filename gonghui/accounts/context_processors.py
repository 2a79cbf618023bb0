from gonghui.accounts.access import get_access


def roles(request):
    return {"access": get_access(getattr(request, "user", None))}
