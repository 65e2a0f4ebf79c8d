"""A partner's inventory of community resources, as the spreadsheet a community officer gets.

Services cluster where people live, and help services (food banks, shelters, addiction and
newcomer services) lean towards deprived areas. There is one police station per PDQ. As in
real inventories, a few entries (about 3%) have an address but no coordinates, and phone
numbers are typed in several ways.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.random import Generator
from pyproj import Transformer

from demo_city.addresses import Addresses
from demo_city.geography import Stations, Streets
from demo_city.population import Surfaces

COLUMNS = ("nom", "type", "adresse", "code_postal", "latitude", "longitude", "telephone",
           "site_web")
MISSING_COORDINATES_SHARE = 0.03
#: Neighbourhood names of the demo city (invented), one per station, west to east.
QUARTIERS = ("Bois-Francs", "Val-des-Érables", "Côte-des-Saules", "Pointe-aux-Hérons",
             "Rivière-des-Trembles", "Mont-Bellerive", "Saint-Anselme", "Sainte-Brigide",
             "Petite-Rive", "Haut-Bordeaux", "Bellechasse", "Champlain-Nord", "Domaine-Vert",
             "Les Cèdres-Bleus", "Saint-Éloi", "Clairval", "Beauséjour", "Sault-aux-Loutres",
             "Île-aux-Pruches", "Vieux-Moulin", "Grand-Coteau", "Saint-Bruno-de-l'Île",
             "Belle-Anse", "Marché-Central", "La Savane", "Hochevert", "Rosemont-des-Prés",
             "Cartierville-Est", "Sainte-Odile", "Parc-Lafontaine-Nord", "Longue-Pointe-Ouest",
             "Tétreaultville-Sud", "Bout-de-l'Île", "Côte-Saint-Luc-Nord", "Pierrefonds-Centre")


@dataclass(frozen=True)
class ServiceType:
    label: str
    share: float
    need_bias: float  # how much the type leans towards deprived areas
    templates: tuple[str, ...]


TYPES = (
    ServiceType("Banque alimentaire", 0.08, 1.5, (
        "Œuvre du Pain partagé de {q}", "Banque alimentaire {q}", "Le Garde-Manger de {q}",
        "Moisson {q}", "Cuisine collective {q}")),
    ServiceType("Hébergement d'urgence", 0.04, 1.5, (
        "Refuge {q}", "Maison du Partage {q}", "Mission Bonne-Entente", "Auberge du Cœur {q}")),
    ServiceType("Santé mentale", 0.06, 0.8, (
        "Centre d'entraide L'Éclaircie", "Le Phare de {q}", "Relais santé mentale {q}")),
    ServiceType("Dépendances", 0.04, 1.2, (
        "Centre Le Virage", "Pavillon Renaissance", "Travail de rue {q}")),
    ServiceType("Maison des jeunes", 0.07, 0.8, ("Maison des jeunes de {q}",
                                                 "L'Escale jeunesse {q}")),
    ServiceType("Aînés", 0.07, 0.3, ("Carrefour des aînés de {q}", "Les Aînés actifs de {q}",
                                     "Popote roulante {q}")),
    ServiceType("Famille", 0.08, 0.8, ("Maison de la famille de {q}", "Halte-garderie {q}",
                                       "Carrefour familial {q}")),
    ServiceType("Violence conjugale", 0.03, 0.6, ("Maison Le Havre", "Maison d'hébergement "
                                                  "L'Étoile", "SOS Entraide conjugale {q}")),
    ServiceType("Accueil des nouveaux arrivants", 0.05, 1.3, (
        "Carrefour d'accueil de {q}", "Centre d'intégration multiservices {q}",
        "Intégration Québec {q}")),
    ServiceType("Centre communautaire", 0.10, 0.6, ("Centre communautaire {q}",
                                                    "Centre de loisirs {q}")),
    ServiceType("CLSC", 0.04, 0.3, ("CLSC de {q}",)),
    ServiceType("Bibliothèque", 0.06, 0.0, ("Bibliothèque de {q}", "Bibliothèque {s}")),
    ServiceType("École", 0.22, 0.0, ("École primaire {s}", "École secondaire de {q}",
                                     "École {s}", "Centre d'éducation des adultes {q}")),
    ServiceType("Caserne de pompiers", 0.06, 0.0, ("Caserne {n}",)),
)


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.replace("Œ", "Oe").replace("œ", "oe"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return "".join(w for w in words if len(w) > 2)[:28] or "organisme"


def _phone(rng: Generator) -> str:
    area = rng.choice(["514", "514", "514", "438"])
    digits = f"{rng.integers(0, 10000):04d}"
    style = rng.integers(3)
    return (f"({area}) 555-{digits}", f"{area}-555-{digits}", f"{area} 555 {digits}")[style]


def make_services(rng: Generator, count: int, streets: Streets, station_of: np.ndarray,
                  stations: Stations, surfaces: Surfaces, addresses: Addresses) -> pd.DataFrame:
    """The inventory as it would be typed: one row per service, columns ``COLUMNS``."""
    n_stations = len(stations.pdq)
    others = max(count - n_stations, 0)
    shares = np.array([t.share for t in TYPES])
    per_type = rng.multinomial(others, shares / shares.sum())
    density = surfaces.density(streets.x, streets.y)
    deprivation = surfaces.deprivation(streets.x, streets.y)
    rows: list[tuple[str, str, int, int]] = []  # (type, template, intersection, number)
    for service_type, n in zip(TYPES, per_type, strict=True):
        weights = density * (1 + service_type.need_bias * deprivation)
        where = rng.choice(len(weights), size=n, p=weights / weights.sum())
        for k, i in enumerate(where):
            template = service_type.templates[int(rng.integers(len(service_type.templates)))]
            if service_type.label == "Banque alimentaire" and k == 0:
                template = service_type.templates[0]  # keep an Œ in every city
            rows.append((service_type.label, template, int(i), k + 1))
    points = np.column_stack([streets.x, streets.y])
    for s, centre in enumerate(stations.centre):
        own = np.nonzero(station_of == s)[0]
        nearest = own[np.argmin(((points[own] - centre) ** 2).sum(axis=1))]
        rows.append(("Police", f"Poste de quartier {stations.pdq[s]}", int(nearest), s))
    where = np.array([r[2] for r in rows], dtype=np.int64)
    address = addresses.civic(rng, where)
    names, seen = [], set()
    for (_label, template, i, number), addr in zip(rows, address, strict=True):
        quartier = QUARTIERS[station_of[i] % len(QUARTIERS)]
        street = addresses.u_names[streets.u_index[i]].split(" ", 1)[1]
        name = template.format(q=quartier, s=street, n=10 + 3 * number)
        if name in seen:
            name = f"{name} – point de service {addr.split(', ', 1)[1]}"
        seen.add(name)
        names.append(name)
    u, v = addresses.frame.to_local(streets.x[where], streets.y[where])
    x, y = addresses.frame.to_world(u + rng.uniform(-45, 45, len(where)), v)
    lon, lat = Transformer.from_crs("EPSG:32188", "EPSG:4326", always_xy=True).transform(x, y)
    missing = (rng.random(len(where)) < MISSING_COORDINATES_SHARE) & (
        np.array([r[0] for r in rows]) != "Police")
    lat_text = np.where(missing, "", np.char.mod("%.6f", lat))
    lon_text = np.where(missing, "", np.char.mod("%.6f", lon))
    web = [f"https://www.{_slug(n)}.{rng.choice(['org', 'ca', 'qc.ca'])}"
           if rng.random() < 0.6 else "" for n in names]
    frame = pd.DataFrame({
        "nom": names, "type": [r[0] for r in rows], "adresse": address,
        "code_postal": [addresses.postal_code(rng, int(station_of[i])) for i in where],
        "latitude": lat_text, "longitude": lon_text,
        "telephone": [_phone(rng) for _ in rows], "site_web": web,
    })
    return frame.sort_values(["type", "nom"], kind="stable").reset_index(drop=True)
