"""An address as it is copied onto an order: the one place its keys are named."""

from collections.abc import Mapping
from dataclasses import asdict, astuple, dataclass, fields


@dataclass(frozen=True)
class AddressSnapshot:
    """What an order keeps of an address (django-oscar's typed copies): later edits of the
    address book never change it. Stored as JSON with exactly these keys."""

    full_name: str
    phone: str
    line1: str
    line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = "ET"

    @classmethod
    def from_address(cls, address) -> "AddressSnapshot":
        return cls(**{name: str(getattr(address, name)) for name in ADDRESS_SNAPSHOT_FIELDS})

    @classmethod
    def from_dict(cls, data: Mapping) -> "AddressSnapshot":
        """Read a stored snapshot back; a key it lacks reads as empty."""
        return cls(**{name: str(data.get(name) or "") for name in ADDRESS_SNAPSHOT_FIELDS})

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def lines(self) -> list[str]:
        """The address as a label prints it: name, phone, street, city, region, code, country."""
        return [value.strip() for value in astuple(self) if value.strip()]


ADDRESS_SNAPSHOT_FIELDS = tuple(field.name for field in fields(AddressSnapshot))
