"""Node-local settings: the node's identity and the school's look. Not replicated."""

import peewee

from appliance.db import BaseModel


class SiteSetting(BaseModel):
    """One key/value setting the admin edits in the UI (school name, colours, logo, ...)."""

    key = peewee.CharField(max_length=64, primary_key=True)
    value = peewee.TextField(default="")

    class Meta:
        table_name = "site_setting"
