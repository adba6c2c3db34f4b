"""Group membership against a real slapd: memberOf, group search, nesting with a cycle,
Active Directory's in-chain rule, DN normalisation; several user bases; login attributes.

A separate slapd (with the memberof overlay) serves ``dc=nested,dc=demo``. The groups are
added by the test with ldap3 as the database's rootdn, the cycle last (by a modify):

    uid=lid              -> cn=team-a -> cn=afdeling-b -> cn=directie-c -> cn=team-a (cycle)
    cn=Smit\\, Karin     -> cn=Smit\\, Karin fans -> cn=afdeling-b

``uid=dubbel`` exists under both ou=people and ou=extern; ``uid=inhuur`` only under ou=extern.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import ldap3
import pytest

from intranet.auth.directory import (
    IN_CHAIN_RULE,
    Directory,
    DirectoryUnavailable,
    InvalidCredentials,
)
from intranet.auth.dn import normalize_dn
from intranet.config import DirectorySettings, parse_deployment_settings
from intranet.testing.helpers import PASSWORD
from intranet_dev.slapd import (
    DEMO_SERVICE_PASSWORD,
    DirectoryDatabase,
    Slapd,
    free_port,
    service_account_dn,
)

pytestmark = pytest.mark.ldap

SUFFIX = "dc=nested,dc=demo"
PEOPLE = f"ou=people,{SUFFIX}"
EXTERN = f"ou=extern,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
PASSWORD_ENV = "INTRANET_TEST_NESTED_PASSWORD"

TEAM = f"cn=team-a,{GROUPS}"
AFDELING = f"cn=afdeling-b,{GROUPS}"
DIRECTIE = f"cn=directie-c,{GROUPS}"
FANS = f"cn=Smit\\, Karin fans,{GROUPS}"
KARIN = f"cn=Smit\\, Karin,{PEOPLE}"
LID = f"uid=lid,{PEOPLE}"
# parentheses and an asterisk: filter syntax, which must reach slapd escaped (RFC 4515)
PIET = f"cn=Jansen (Wmo)\\, Piet*,{PEOPLE}"
NOORD = f"cn=Wijkteam (Noord) *,{GROUPS}"


def _person(dn: str, uid: str, cn: str) -> str:
    return (
        f"dn: {dn}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {cn}\nsn: {cn.split()[-1]}\n"
        f"mail: {uid}@nested.demo\nuserPassword: {PASSWORD}\n"
    )


LDIF = "\n".join(
    [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: nested\no: Nested\n",
        *(
            f"dn: ou={ou},{SUFFIX}\nobjectClass: organizationalUnit\nou: {ou}\n"
            for ou in ("people", "extern", "groups", "services")
        ),
        f"dn: {service_account_dn(SUFFIX)}\nobjectClass: applicationProcess\n"
        f"objectClass: simpleSecurityObject\ncn: intranet-service\n"
        f"userPassword: {DEMO_SERVICE_PASSWORD}\n",
        _person(LID, "lid", "Lid Een"),
        _person(KARIN, "ksmit", "Smit, Karin"),
        _person(PIET, "pjansen", "Jansen (Wmo), Piet*"),
        _person(f"uid=dubbel,{PEOPLE}", "dubbel", "Dubbel Intern"),
        _person(f"uid=dubbel,{EXTERN}", "dubbel", "Dubbel Extern"),
        _person(f"uid=inhuur,{EXTERN}", "inhuur", "Inhuur Extern"),
    ]
)


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    workdir = tmp_path_factory.mktemp("nested")
    ldif = workdir / "nested.ldif"
    ldif.write_text(LDIF)
    database = DirectoryDatabase(SUFFIX, [ldif], member_of=True)
    slapd = Slapd([database], workdir / "ldap", port=free_port())
    slapd.start()
    admin = ldap3.Connection(
        ldap3.Server(slapd.url, get_info=ldap3.NONE),
        user=database.rootdn,
        password=slapd.rootpw,
        auto_bind=True,
    )
    try:
        for group, cn, members in (
            (TEAM, "team-a", [LID]),
            (AFDELING, "afdeling-b", [TEAM]),
            (DIRECTIE, "directie-c", [AFDELING]),
            (FANS, "Smit, Karin fans", [KARIN]),
            (NOORD, "Wijkteam (Noord) *", [PIET]),
        ):
            assert admin.add(group, ["groupOfNames"], {"cn": cn, "member": members}), admin.result
        # The cycle, and Karin's fan club inside the department, after the fact.
        assert admin.modify(TEAM, {"member": [(ldap3.MODIFY_ADD, [DIRECTIE])]}), admin.result
        assert admin.modify(AFDELING, {"member": [(ldap3.MODIFY_ADD, [FANS])]}), admin.result
    finally:
        admin.unbind()
    yield slapd
    slapd.stop()


@pytest.fixture(autouse=True)
def _service_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, DEMO_SERVICE_PASSWORD)


def settings(slapd: Slapd, **overrides: object) -> DirectorySettings:
    data: dict[str, object] = {
        "url": slapd.url,
        "bind_dn": service_account_dn(SUFFIX),
        "bind_password_env": PASSWORD_ENV,
        "user_base": PEOPLE,
        "user_filter": "(objectClass=inetOrgPerson)",
        "group_base": GROUPS,
        "timeout": 3,
    }
    data.update(overrides)
    return DirectorySettings.from_mapping("nested", data)


@pytest.fixture
def filters(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every search filter the app sends, as ldap3 gets it."""
    sent: list[str] = []
    original = ldap3.Connection.search

    def search(self, search_base, search_filter, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(search_filter)
        return original(self, search_base, search_filter, *args, **kwargs)

    monkeypatch.setattr(ldap3.Connection, "search", search)
    return sent


def n(*dns: str) -> list[str]:
    return sorted(normalize_dn(dn) for dn in dns)


# -- memberOf and group search, flat and nested ---------------------------------------


@pytest.mark.parametrize("mode", ["memberOf", "search"])
def test_direct_groups_only_by_default(nested: Slapd, mode: str) -> None:
    user = Directory(settings(nested, group_membership=mode)).authenticate("lid", PASSWORD)
    assert user.groups == n(TEAM)


@pytest.mark.parametrize("mode", ["memberOf", "search"])
def test_nested_groups_three_levels_deep_and_the_cycle_ends(nested: Slapd, mode: str) -> None:
    directory = Directory(settings(nested, group_membership=mode, nested_groups=True))
    user = directory.authenticate("lid", PASSWORD)
    assert user.groups == n(TEAM, AFDELING, DIRECTIE)
    # user search (+ the direct group search) + one search per level: afdeling-b,
    # directie-c, and the level that finds only team-a again, which ends it.
    assert directory.stats.searches == (1 if mode == "memberOf" else 2) + 3


def test_the_cycle_ends_even_with_the_largest_depth(nested: Slapd) -> None:
    directory = Directory(
        settings(nested, group_membership="search", nested_groups=True, nested_depth=20)
    )
    assert directory.authenticate("lid", PASSWORD).groups == n(TEAM, AFDELING, DIRECTIE)
    assert directory.stats.searches == 5


@pytest.mark.parametrize(
    ("depth", "expected"),
    [(1, [TEAM]), (2, [TEAM, AFDELING]), (3, [TEAM, AFDELING, DIRECTIE])],
)
def test_nested_depth_limits_the_levels(nested: Slapd, depth: int, expected: list[str]) -> None:
    directory = Directory(
        settings(nested, group_membership="search", nested_groups=True, nested_depth=depth)
    )
    assert directory.authenticate("lid", PASSWORD).groups == n(*expected)
    assert directory.stats.searches == 1 + depth  # user search, then one per level


def test_nested_groups_through_a_group_with_an_escaped_comma(nested: Slapd) -> None:
    directory = Directory(settings(nested, group_membership="memberOf", nested_groups=True))
    user = directory.authenticate("ksmit", PASSWORD)
    assert user.groups == n(FANS, AFDELING, DIRECTIE, TEAM)


@pytest.mark.parametrize("mode", ["memberOf", "search"])
def test_names_with_parentheses_and_an_asterisk(nested: Slapd, mode: str) -> None:
    """A DN with filter syntax in it finds its own groups, and no other group."""
    directory = Directory(settings(nested, group_membership=mode, nested_groups=True))
    user = directory.authenticate("pjansen", PASSWORD)
    assert user.display_name == "Jansen (Wmo), Piet*"
    assert user.groups == n(NOORD)


def test_ad_in_chain_rule_is_sent_only_where_configured(nested: Slapd, filters: list[str]) -> None:
    for mode, nested_groups in (("memberOf", True), ("search", True), ("search", False)):
        Directory(
            settings(nested, group_membership=mode, nested_groups=nested_groups)
        ).authenticate("lid", PASSWORD)
    assert filters and not any(IN_CHAIN_RULE in f for f in filters)

    offset = nested.log_path.stat().st_size
    user = Directory(settings(nested, group_membership="ad_in_chain")).find_user("lid")
    in_chain = [f for f in filters if IN_CHAIN_RULE in f]
    assert in_chain == [f"(&(objectClass=groupOfNames)(member:{IN_CHAIN_RULE}:={LID}))"]
    # OpenLDAP does not know the rule: it logs the component as undefined, matches nothing
    # and answers "success" - Active Directory would return all three groups in one search.
    log = nested.log_path.read_bytes()[offset:].decode()
    assert "(?=undefined)" in log
    assert user.groups == []


def test_in_chain_filter_escapes_the_user_dn(nested: Slapd, filters: list[str]) -> None:
    Directory(settings(nested, group_membership="ad_in_chain")).find_user("ksmit")
    assert f"(member:{IN_CHAIN_RULE}:=cn=Smit\\5c2C Karin,{PEOPLE})" in filters[-1]


# -- DN spellings ----------------------------------------------------------------------


def test_slapd_spells_dns_differently_than_the_ldif_and_normalize_dn_agrees(
    nested: Slapd,
) -> None:
    conn = ldap3.Connection(
        ldap3.Server(nested.url, get_info=ldap3.NONE),
        user=service_account_dn(SUFFIX),
        password=DEMO_SERVICE_PASSWORD,
        auto_bind=True,
    )
    try:
        conn.search(PEOPLE, "(uid=ksmit)", attributes=["memberOf"])
        entry = conn.response[0]
    finally:
        conn.unbind()
    assert entry["dn"] == f"cn=Smit\\2C Karin,{PEOPLE}"  # not the LDIF's "Smit\, Karin"
    assert entry["dn"] != KARIN
    assert normalize_dn(entry["dn"]) == normalize_dn(KARIN)
    [member_of] = entry["attributes"]["memberOf"]
    assert normalize_dn(member_of) == normalize_dn(FANS) == f"cn=smit\\, karin fans,{GROUPS}"


@pytest.mark.parametrize(
    "spelling",
    [
        f"cn=Smit\\, Karin fans,{GROUPS}",
        "CN=Smit\\2C Karin fans,OU=Groups,DC=Nested,DC=Demo",
        "cn=smit\\2c karin fans, ou=groups, dc=nested, dc=demo",
        "cn = Smit\\, Karin fans , ou=groups,dc=nested,dc=demo",
    ],
)
def test_config_group_mappings_are_normalised(spelling: str) -> None:
    deployment = parse_deployment_settings(
        {
            "platform": {"operator_groups": [spelling]},
            "municipalities": {"nested": {"group_roles": {spelling: "fans"}}},
        }
    )
    assert deployment.operator_groups == (normalize_dn(FANS),)
    assert deployment.for_municipality("nested").group_roles == {normalize_dn(FANS): ["fans"]}


def test_normalize_dn_rules() -> None:
    assert normalize_dn("UID=b+CN=A,DC=x") == "cn=a+uid=b,dc=x"  # multi-valued RDN, ordered
    assert normalize_dn("cn=caf\\C3\\A9,dc=x") == normalize_dn("CN=CAFÉ,dc=x") == "cn=café,dc=x"
    assert normalize_dn("cn=\\23hash\\20,dc=x") == "cn=\\#hash\\ ,dc=x"
    for dn in ('cn=a\\+b\\;c\\<d\\>e\\=f\\"g,dc=x', "cn=\\ x,dc=x"):
        assert normalize_dn(normalize_dn(dn)) == normalize_dn(dn)
    for bad in ("", "no-dn", "cn=a\\", "=x"):
        with pytest.raises(ValueError):
            normalize_dn(bad)


# -- several user bases, login attributes ----------------------------------------------


def test_user_found_in_the_second_base(nested: Slapd) -> None:
    directory = Directory(settings(nested, user_base=[PEOPLE, EXTERN]))
    assert directory.authenticate("inhuur", PASSWORD).dn == f"uid=inhuur,{EXTERN}"
    assert directory.authenticate("lid", PASSWORD).dn == LID


def test_user_in_two_bases_is_ambiguous_and_still_costs_a_bind(nested: Slapd) -> None:
    directory = Directory(settings(nested, user_base=[PEOPLE, EXTERN]))
    with pytest.raises(InvalidCredentials) as refused:
        directory.authenticate("dubbel", PASSWORD)
    assert refused.value.reason == "ambiguous_user"
    assert directory.stats.user_binds == 1  # the decoy bind
    with pytest.raises(InvalidCredentials, match="ambiguous_user"):
        directory.find_user("dubbel")
    # Under one base only, the same name is fine.
    assert Directory(settings(nested)).authenticate("dubbel", PASSWORD).dn == f"uid=dubbel,{PEOPLE}"


def test_overlapping_bases_find_the_same_entry_once(nested: Slapd) -> None:
    directory = Directory(settings(nested, user_base=[PEOPLE, SUFFIX]))
    assert directory.authenticate("lid", PASSWORD).dn == LID


def test_a_base_that_does_not_exist_is_an_outage_not_a_wrong_password(nested: Slapd) -> None:
    directory = Directory(settings(nested, user_base=[f"ou=nobody,{SUFFIX}", PEOPLE]))
    with pytest.raises(DirectoryUnavailable, match="does not exist") as outage:
        directory.authenticate("lid", PASSWORD)
    assert "user_base" in outage.value.advice


@pytest.mark.parametrize(
    ("attribute", "name"), [("uid", "lid"), ("mail", "lid@nested.demo"), ("cn", "Lid Een")]
)
def test_login_attribute_is_configurable(nested: Slapd, attribute: str, name: str) -> None:
    directory = Directory(settings(nested, login_attribute=attribute))
    user = directory.authenticate(name, PASSWORD)
    assert user.dn == LID
    assert user.username == name
    with pytest.raises(InvalidCredentials):
        directory.authenticate("lid" if attribute != "uid" else "lid@nested.demo", PASSWORD)


def test_a_list_of_user_bases_keeps_settings_hashable(nested: Slapd) -> None:
    s = settings(nested, user_base=[PEOPLE, EXTERN])
    assert s.user_bases == (PEOPLE, EXTERN)
    assert hash(s) == hash(dataclasses.replace(s))
    assert settings(nested).user_bases == (PEOPLE,)


def test_shipped_config_examples_parse() -> None:
    root = Path(__file__).resolve().parent.parent
    from intranet.config import load_deployment_settings

    example = load_deployment_settings(root / "deploy" / "intranet.example.toml")
    directory = example.for_municipality("voorbeeldstad").directory
    assert directory is not None and directory.tls_mode is not None
