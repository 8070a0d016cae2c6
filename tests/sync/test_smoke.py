from appliance.accounts import services as accounts
from appliance.replication import local_origin
from tests.sync.harness import assert_hub_equals_node


def test_first_sync_brings_everything(hub, enrolled, make_user):
    for i in range(5):
        make_user("student", class_name="7A")
    result = enrolled()
    assert result["pushed"] >= 6
    assert_hub_equals_node(hub, local_origin())
    again = enrolled()
    assert again["pushed"] == 0 and again["round_trips"] == 1
    accounts  # noqa: B018
