def inbox_cards(user) -> list:
    return []
