"""Registry: seeding, oblast spellings, schools and rayons, the schools CSV import."""

from __future__ import annotations

import pytest

from appliance.errors import NotFound, ValidationError
from appliance.hub import registry, schools_csv
from appliance.hub.models import Oblast, Rayon, School
from appliance.hub.seed import seed_registry

NAMES = {
    "Batken",
    "Chüy",
    "Issyk-Kul",
    "Jalal-Abad",
    "Naryn",
    "Osh",
    "Talas",
    "Bishkek",
    "Osh city",
}


def test_seed_is_idempotent(hub_config):
    assert seed_registry() == 0  # the fixture seeded already
    assert seed_registry() == 0
    assert {o.name for o in Oblast.select()} == NAMES
    assert Oblast.select().count() == 9
    assert {o.name for o in Oblast.select().where(Oblast.kind == "city")} == {"Bishkek", "Osh city"}


def test_seed_adds_back_only_what_is_missing(hub_config):
    Oblast.delete().where(Oblast.name == "Talas").execute()
    assert seed_registry() == 1
    assert Oblast.select().count() == 9


@pytest.mark.parametrize(
    "spelling, name",
    [
        ("Chui", "Chüy"),
        ("chüy", "Chüy"),
        ("Чүй", "Chüy"),
        ("Чуйская область", "Chüy"),
        ("CHUY oblast", "Chüy"),
        ("Issyk-Kul", "Issyk-Kul"),
        ("issyk kul", "Issyk-Kul"),
        ("Ысык-Көл", "Issyk-Kul"),
        ("Иссык-Кульская обл.", "Issyk-Kul"),
        ("Jalal-Abad", "Jalal-Abad"),
        ("Жалал-Абад", "Jalal-Abad"),
        ("Джалал-Абадская область", "Jalal-Abad"),
        ("Bishkek", "Bishkek"),
        ("г. Бишкек", "Bishkek"),
        ("Osh", "Osh"),
        ("Ошская область", "Osh"),
        ("г. Ош", "Osh city"),
        ("Osh city", "Osh city"),
        ("Баткен", "Batken"),
        ("Нарын облусу", "Naryn"),
        ("Таласская", "Talas"),
    ],
)
def test_oblast_spellings(hub_config, spelling, name):
    assert registry.find_oblast(spelling).name == name


@pytest.mark.parametrize("spelling", ["", "Moscow", "city", "Chuy Valley Republic"])
def test_unknown_oblast(hub_config, spelling):
    assert registry.find_oblast(spelling) is None


def test_save_school_creates_rayons_per_oblast_and_upserts(hub_config):
    chuy, osh = registry.find_oblast("Chüy"), registry.find_oblast("Osh")
    school, created = registry.save_school("41001", "School 1", chuy, "Central")
    assert created and school.rayon.name == "Central" and school.rayon.oblast_id == chuy.id
    other, _ = registry.save_school("61001", "School 2", osh, "central")
    assert other.rayon.oblast_id == osh.id and other.rayon_id != school.rayon_id
    again, created = registry.save_school("41002", "School 3", chuy, "  CENTRAL ")
    assert created and again.rayon_id == school.rayon_id  # the same rayon, whatever the case
    assert Rayon.select().count() == 2
    renamed, created = registry.save_school("41001", "School No. 1", chuy, "")
    assert not created and renamed.name == "School No. 1" and renamed.rayon is None
    with pytest.raises(ValidationError, match="already registered"):
        registry.save_school("41001", "Again", chuy, create=True)
    with pytest.raises(NotFound):
        registry.save_school("99999", "Missing", chuy, create=False)
    with pytest.raises(ValidationError) as exc:
        registry.save_school("bad code!", "X", chuy)
    assert exc.value.field == "code"


def test_list_schools_filters(hub_config):
    chuy, osh = registry.find_oblast("Chüy"), registry.find_oblast("Osh")
    registry.save_school("A1", "Alpha", chuy, "North")
    registry.save_school("A2", "Beta", chuy, "South")
    registry.save_school("B1", "Gamma", osh, "North")
    assert [s.code for s in registry.list_schools(chuy.id)] == ["A1", "A2"]
    north = registry.rayon_named(chuy, "North")
    assert [s.code for s in registry.list_schools(rayon_id=north.id)] == ["A1"]
    assert [s.code for s in registry.list_schools(search="gam")] == ["B1"]


GOOD = (
    "\ufeffcode,name,oblast,rayon\n"
    "41001,Школа-гимназия №5,Чуйская область,Аламудунский\n"
    '41002,"Mektep, No. 2",Chui,Alamudun\n'
    "61001,Кара-Суу мектеби,Osh,Kara-Suu\n"
    "\n"
    "01001,Бишкек гимназия,г. Бишкек,\n"
).encode("utf-8")


def test_import_good_file(hub_config):
    preview = schools_csv.parse(GOOD)
    assert preview.ok, [e.message for e in preview.errors]
    assert [r.line for r in preview.rows] == [2, 3, 4, 6]
    assert schools_csv.apply_import(preview) == {"new": 4, "update": 0, "same": 0}
    school = School.get_by_id("41002")
    assert (
        school.name == "Mektep, No. 2"
        and school.oblast.name == "Chüy"
        and school.rayon.name == "Alamudun"
    )
    assert School.get_by_id("01001").rayon is None
    assert School.get_by_id("61001").oblast.name == "Osh"


def test_import_windows_1251_with_semicolons(hub_config):
    data = (
        "code;name;oblast;rayon\r\n"
        "41001;Средняя школа им. Токтогула;Чуйская;Сокулукский\r\n"
        "21001;Школа №3;Иссык-Кульская область;Каракол\r\n"
    ).encode("cp1251")
    preview = schools_csv.parse(data)
    assert preview.ok, [e.message for e in preview.errors]
    schools_csv.apply_import(preview)
    assert School.get_by_id("41001").name == "Средняя школа им. Токтогула"
    assert School.get_by_id("21001").oblast.name == "Issyk-Kul"
    assert School.get_by_id("21001").rayon.name == "Каракол"


def test_bad_oblast_names_the_line_and_nothing_is_written(hub_config):
    data = b"code,name,oblast,rayon\n41001,One,Chui,\n41002,Two,Moscow,\n41003,Three,Talas,\n"
    preview = schools_csv.parse(data)
    assert not preview.ok
    assert [(e.line, e.error.field) for e in preview.errors] == [(3, "oblast")]
    assert "Unknown oblast 'Moscow'" in preview.errors[0].message
    with pytest.raises(ValidationError):
        schools_csv.apply_import(preview)
    assert School.select().count() == 0


def test_duplicate_code_in_file(hub_config):
    data = b"code;name;oblast\n41001;One;Chui\n41002;Two;Chui\n41001;Again;Naryn\n"
    preview = schools_csv.parse(data)
    assert [(e.line, e.message) for e in preview.errors] == [
        (4, "The code '41001' is also on line 2.")
    ]


@pytest.mark.parametrize(
    "data, line, text",
    [
        (b"code,name\n1,One\n", 1, "lacks the required columns: oblast"),
        (b"code,name,oblast\n", None, "header but no schools"),
        (b"", None, "empty"),
        (b"code,name,oblast\n1,One,Chui,extra\n", 2, "more cells"),
        (b"code,name,oblast\n1,,Chui\n", 2, "school name"),
        (b"code,name,oblast\n1 2,One,Chui\n", 2, "school code"),
        (b"\x00\x01\x02binary", None, "not a text file"),
    ],
)
def test_file_problems(hub_config, data, line, text):
    preview = schools_csv.parse(data)
    assert not preview.ok
    assert preview.errors[0].line == line
    assert text in preview.errors[0].message


def test_reimport_updates_names_by_code(hub_config):
    schools_csv.apply_import(schools_csv.parse(GOOD))
    changed = GOOD.replace(b"Mektep, No. 2", b"Mektep No. 2 named after Aitmatov")
    preview = schools_csv.parse(changed)
    assert (preview.count("new"), preview.count("update"), preview.count("same")) == (0, 1, 3)
    assert schools_csv.apply_import(preview) == {"new": 0, "update": 1, "same": 3}
    assert School.get_by_id("41002").name == "Mektep No. 2 named after Aitmatov"
    assert School.select().count() == 4
    assert Rayon.select().count() == 3  # Аламудунский, Alamudun, Kara-Suu: not created twice


def test_nodes_listing_has_lag(hub_config):
    from tests.hub import dataset

    data = dataset.build()
    states = {s.node.node_id: s for s in registry.list_nodes()}
    assert set(states) == {"n-a", "n-b"}
    assert states["n-b"].lag_seconds > states["n-a"].lag_seconds > 0
    assert states["n-a"].node.school.code == data["a"].code
    assert not states["n-a"].revoked
