"""Where each organisation's records are counted: organisation (trust, or sub-ICB location for
primary care), ICB, NHS region and England, from the ODS hierarchy."""

from dataclasses import dataclass, field

from organisations.models import Organisation, OrganisationKind

from .models import Level

ENGLAND = "E92000001"
UNIT_KINDS = {
    OrganisationKind.NHS_TRUST: Level.ORGANISATION,
    OrganisationKind.SUB_ICB_LOCATION: Level.SUB_ICB,
}
LEVEL_OF_KIND = {
    OrganisationKind.REGION: Level.REGION,
    OrganisationKind.ICB: Level.ICB,
    **UNIT_KINDS,
}


@dataclass
class Area:
    level: str
    code: str
    name: str
    parent_code: str = ""
    children: list[str] = field(default_factory=list)


@dataclass
class Geography:
    areas: dict[str, Area]
    # organisation id -> codes of the areas its records count in, smallest first, England last
    chain_of: dict[int, list[str]]

    def chain(self, organisation_id: int | None) -> list[str]:
        return self.chain_of.get(organisation_id, [ENGLAND]) if organisation_id else [ENGLAND]


def geography() -> Geography:
    rows = {o.pk: o for o in Organisation.objects.only("pk", "ods_code", "name", "kind", "parent_id")}
    areas = {ENGLAND: Area(Level.NATIONAL, ENGLAND, "England")}

    def area_chain(organisation: Organisation) -> list[Organisation]:
        chain, seen, current = [], set(), organisation
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            if current.kind in LEVEL_OF_KIND and not any(
                LEVEL_OF_KIND[c.kind] == LEVEL_OF_KIND[current.kind] for c in chain
            ):
                chain.append(current)
            current = rows.get(current.parent_id)
        return chain

    chain_of = {}
    for organisation in rows.values():
        chain = area_chain(organisation)
        codes = []
        for depth, member in enumerate(chain):
            parent = chain[depth + 1].ods_code if depth + 1 < len(chain) else ENGLAND
            if member.kind == OrganisationKind.REGION:
                parent = ENGLAND
            areas.setdefault(
                member.ods_code, Area(LEVEL_OF_KIND[member.kind], member.ods_code, member.name, parent)
            )
            codes.append(member.ods_code)
        chain_of[organisation.pk] = [*codes, ENGLAND]
    for area in areas.values():
        if area.parent_code in areas:
            areas[area.parent_code].children.append(area.code)
    return Geography(areas, chain_of)
