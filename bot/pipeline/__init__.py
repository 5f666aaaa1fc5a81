"""How an update travels: stored in the inbox, handled in its chat's lane, answered at Telegram's pace."""
