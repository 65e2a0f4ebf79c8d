"""The French of the errors a reader raises (``ReaderError``: its problem and what it
expected), read by ``data_connectors.report_messages`` like the reports' sentences.

Keys are the sentences exactly as the readers' code writes them, ``{}`` for each value; a
value that is itself a sentence of either catalogue is translated in turn.
``tests/test_report_messages.py`` reads every reader's source, so a new sentence without its
French fails there.
"""

from __future__ import annotations

ERRORS: dict[str, str] = {
    # what the file is, or why it cannot be read
    "the file does not exist.": "le fichier n'existe pas.",
    "the file is empty.": "le fichier est vide.",
    "the file has no rows.": "le fichier n'a aucune ligne.",
    "the file has a header but no rows.": "le fichier a un en-tête mais aucune ligne.",
    "the file holds no table.": "le fichier ne contient aucun tableau.",
    "the first sheet is empty.": "la première feuille est vide.",
    "the file is damaged or truncated ({}).": "le fichier est endommagé ou tronqué ({}).",
    "the file is still being written (it changed while it was being checked). Wait until the "
    "copy or export has finished, then import it again.":
        "le fichier est encore en cours d'écriture (il a changé pendant la vérification). "
        "Attendez la fin de la copie ou de l'exportation, puis importez-le de nouveau.",
    "this is a binary file, not a text (CSV) file.":
        "c'est un fichier binaire, pas un fichier texte (CSV).",
    "this is not a readable Excel workbook ({}).":
        "ce n'est pas un classeur Excel lisible ({}).",
    "is not a readable Excel workbook ({}).": "n'est pas un classeur Excel lisible ({}).",
    "cannot read the workbook ({}).": "le classeur ne peut être lu ({}).",
    "is not a readable CSV table ({}).": "n'est pas un tableau CSV lisible ({}).",
    "is not a readable GeoJSON file ({}).": "n'est pas un fichier GeoJSON lisible ({}).",
    "cannot be read ({}).": "ne peut être lu ({}).",
    "cannot be read to the end ({}).": "ne peut être lu jusqu'au bout ({}).",
    "cannot be read as a GeoJSON or GeoPackage file ({}).":
        "ne peut être lu comme un fichier GeoJSON ou GeoPackage ({}).",
    "cannot be read as a GeoJSON or GeoPackage file.":
        "ne peut être lu comme un fichier GeoJSON ou GeoPackage.",
    "cannot be read as a polygon layer ({}).":
        "ne peut être lu comme une couche de polygones ({}).",
    "GDAL cannot read it as a geographic file ({}).":
        "GDAL ne peut le lire comme un fichier géographique ({}).",
    "has no feature list.": "n'a pas de liste d'entités.",
    "holds no line layer.": "ne contient aucune couche de lignes.",
    "holds {} geometries, not areas.": "contient des géométries {}, pas des surfaces.",
    "the file holds {} geometries, not station areas.":
        "le fichier contient des géométries {}, pas des territoires de postes.",
    "all {} geometries are empty.": "les {} géométries sont toutes vides.",
    "is neither a folder nor a .zip archive.": "n'est ni un dossier ni une archive .zip.",
    "is not an MBTiles file ({}).": "n'est pas un fichier MBTiles ({}).",
    "has no 'tiles' and 'metadata' tables.": "n'a pas de tables « tiles » et « metadata ».",
    "holds tiles of format {}.": "contient des tuiles au format {}.",
    "no OpenStreetMap objects found.": "aucun objet OpenStreetMap trouvé.",
    "the package has no {}.": "le paquet n'a pas de {}.",
    "the shapefile's {} file is missing beside it.":
        "le fichier {} du shapefile manque à côté de lui.",
    "this ZIP archive (or .xlsx workbook) is damaged ({}).":
        "cette archive ZIP (ou ce classeur .xlsx) est endommagée ({}).",
    "this compressed file is damaged or truncated ({}).":
        "ce fichier compressé est endommagé ou tronqué ({}).",
    "this compressed file was not read: {}.": "ce fichier compressé n'a pas été lu : {}.",
    "this wide census profile is of no known layout.":
        "ce profil de recensement en colonnes n'a aucune disposition connue.",
    "the text is not {} throughout (byte 0x{} after row {}).":
        "le texte n'est pas en {} d'un bout à l'autre (octet 0x{} après la ligne {}).",
    "the text is not {} throughout.": "le texte n'est pas en {} d'un bout à l'autre.",
    "byte 0x{} is not valid {} text: the file mixes two encodings.":
        "l'octet 0x{} n'est pas du texte {} valide : le fichier mêle deux encodages.",
    "the rows do not form a regular table ({}).":
        "les lignes ne forment pas un tableau régulier ({}).",
    "the table's rows do not line up ({}).": "les lignes du tableau ne s'alignent pas ({}).",
    "the header has {} columns, more than the limit of {}.":
        "l'en-tête a {} colonnes, plus que la limite de {}.",
    "a value is longer than {} characters (the line has {}), more than any real table holds.":
        "une valeur dépasse {} caractères (la ligne en a {}), plus qu'aucun vrai tableau n'en "
        "contient.",
    "its coordinate reference system is not one PROJ knows ({}).":
        "son système de coordonnées n'est pas connu de PROJ ({}).",
    "the file declares no coordinate reference system.":
        "le fichier ne déclare aucun système de coordonnées.",
    "the file declares {}, but its coordinates then fall at longitude {} to {}, latitude {} to "
    "{}, outside where that CRS is used ({}).":
        "le fichier déclare {}, mais ses coordonnées tombent alors aux longitudes {} à {}, "
        "latitudes {} à {}, hors de la région où ce SCR s'emploie ({}).",
    "the coordinates ({} to {}, {} to {}) are not degrees, but the file is read as {}.":
        "les coordonnées ({} à {}, {} à {}) ne sont pas des degrés, mais le fichier est lu "
        "comme {}.",
    "the coordinates ({} to {}, {} to {}) are not degrees, but the file is read as {}: a "
    "GeoJSON without a crs member is in degrees by definition.":
        "les coordonnées ({} à {}, {} à {}) ne sont pas des degrés, mais le fichier est lu "
        "comme {} : un GeoJSON sans membre crs est en degrés par définition.",
    # columns and mappings
    "missing column(s) {}.": "colonne(s) manquante(s) : {}.",
    "missing required column(s): {}.": "colonne(s) obligatoire(s) manquante(s) : {}.",
    "no column was found for {}.": "aucune colonne trouvée pour {}.",
    "no column identifies the respondents.": "aucune colonne n'identifie les répondants.",
    "no question columns found (read as a {} export).":
        "aucune colonne de question trouvée (lu comme un export {}).",
    "the header names no area column.": "l'en-tête ne nomme aucune colonne de secteur.",
    "no score columns found.": "aucune colonne de scores trouvée.",
    "no scores could be read.": "aucun score n'a pu être lu.",
    "the column mapping gives {} the value {}.": "la correspondance des colonnes donne à {} la "
                                                 "valeur {}.",
    "the column mapping names column(s) not in the file: {}.":
        "la correspondance des colonnes nomme des colonnes absentes du fichier : {}.",
    "the calls column mapping names column(s) not in the file: {}.":
        "la correspondance des colonnes des appels nomme des colonnes absentes du fichier : {}.",
    "the calls column mapping ({}) is incomplete. Missing: {}.":
        "la correspondance des colonnes des appels ({}) est incomplète. Manque : {}.",
    "{} Missing: {}.": "{} Manque : {}.",
    "the column mapping uses the file's geometry, but the file has none.":
        "la correspondance des colonnes utilise la géométrie du fichier, mais il n'en a pas.",
    "the column mapping gives {} without a scale.":
        "la correspondance des colonnes donne {} sans échelle.",
    "the column mapping's scale {} is not a range of codes.":
        "l'échelle {} de la correspondance des colonnes n'est pas une plage de codes.",
    "the column mapping's favourable end {} is not high or low.":
        "le bout favorable {} de la correspondance des colonnes n'est ni high ni low.",
    "the column mapping's {} codes {} are not whole numbers.":
        "les codes {} {} de la correspondance des colonnes ne sont pas des nombres entiers.",
    "code(s) {} are both on the scale {}-{} and 'don't know' or refused.":
        "le ou les codes {} sont à la fois sur l'échelle {}-{} et « ne sait pas » ou refus.",
    "the reader {} ({}) reads a fixed layout and takes no column mapping.":
        "le lecteur {} ({}) lit une disposition fixe et ne prend aucune correspondance de "
        "colonnes.",
    "files ending in {} cannot be read through a mapping.":
        "les fichiers se terminant par {} ne peuvent être lus par une correspondance.",
    "no reader is registered under this id; known: {}.":
        "aucun lecteur n'est enregistré sous cet identifiant ; connus : {}.",
    "no reader recognises this file. Known formats: {}.":
        "aucun lecteur ne reconnaît ce fichier. Formats connus : {}.",
    "no census areas to keep: import the dissemination-area boundaries first, or give an area "
    "code prefix (for example 2466 for Montréal).":
        "aucune aire de recensement à garder : importez d'abord les limites des aires de "
        "diffusion, ou donnez un préfixe de code (par exemple 2466 pour Montréal).",
    "no row of this profile matches the workspace's census areas.":
        "aucune ligne de ce profil ne correspond aux aires de recensement de l'espace de "
        "travail.",
    "{} is already mapped on row {}.": "{} est déjà associée à la ligne {}.",
    "{} is not a common category.": "{} n'est pas une catégorie commune.",
    "{} is not an issue tag.": "{} n'est pas une étiquette d'enjeu.",
    "the common category is empty.": "la catégorie commune est vide.",
    "the source category is empty.": "la catégorie de la source est vide.",
    "the code book needs a code and a label column.":
        "le livre de codes a besoin d'une colonne de codes et d'une colonne de libellés.",
    "the lookup table cannot be read ({}).": "la table de correspondance ne peut être lue ({}).",
    "the lookup table does not exist.": "la table de correspondance n'existe pas.",
    "a lookup table needs two columns.": "une table de correspondance a besoin de deux "
                                         "colonnes.",
    "area code(s) {} have no station.": "le ou les codes de secteur {} n'ont pas de poste.",
    "the question labels file does not exist.": "le fichier des libellés de questions "
                                                "n'existe pas.",
    "Column mapping: 'area_stations' must be a CSV file name or an object (area code -> "
    "station id).": "Correspondance des colonnes : « area_stations » doit être le nom d'un "
                    "fichier CSV ou un objet (code de secteur -> poste).",
    "Column mapping: {} must be a text, not {}.":
        "Correspondance des colonnes : {} doit être un texte, pas {}.",
    "A {} must be a JSON object (field -> column).":
        "Une {} doit être un objet JSON (champ -> colonne).",
    "column mapping": "correspondance des colonnes",
    "Unknown key(s) in the {}: {}. Known keys: {}.":
        "Clé(s) inconnue(s) dans la {} : {}. Clés connues : {}.",
    "{}: a column mapping must be a JSON object.":
        "{} : une correspondance des colonnes doit être un objet JSON.",
    "Cannot read the mapping file {}: {}.":
        "Le fichier de correspondance {} ne peut être lu : {}.",
    "{}, line {}: not valid JSON ({}).": "{}, ligne {} : JSON non valide ({}).",
    "Column mapping: unknown date_format {}; use one of {}, {}, or a strftime form such as "
    "'%d.%m.%Y'.": "Correspondance des colonnes : date_format {} inconnu ; utilisez {}, {} "
                   "ou une forme strftime comme '%d.%m.%Y'.",
    "Column mapping: location_precision must be one of {}.":
        "Correspondance des colonnes : location_precision doit être l'un de {}.",
    "Column mapping: {} is not a known CRS; give an EPSG code such as EPSG:32188.":
        "Correspondance des colonnes : {} n'est pas un SCR connu ; donnez un code EPSG comme "
        "EPSG:32188.",
    "read as incidents through a column mapping, but the columns could not all be recognised "
    "and no mapping was given for this file.":
        "lu comme des incidents par une correspondance des colonnes, mais les colonnes n'ont "
        "pas toutes été reconnues et aucune correspondance n'a été donnée pour ce fichier.",
    "the column mapping ({}) is incomplete.": "la correspondance des colonnes ({}) est "
                                              "incomplète.",
    "given": "donnée",
    "saved in the workspace": "enregistrée dans l'espace de travail",
    "category (the column with the kind of incident)":
        "category (la colonne du genre d'incident)",
    "date": "date",
    "{} ({} is mapped to {})": "{} ({} est associée à {})",
    "crs (the EPSG code of the x/y columns, e.g. EPSG:32188 for MTM zone 8 in Montréal, "
    "EPSG:26910 for UTM zone 10N in Vancouver)":
        "crs (le code EPSG des colonnes x/y, p. ex. EPSG:32188 pour la zone MTM 8 à Montréal, "
        "EPSG:26910 pour la zone UTM 10N à Vancouver)",
    "a location (x/y with a CRS, lat/lon, or the file's own geometry) or a station column":
        "un lieu (x/y avec un SCR, lat/lon, ou la géométrie du fichier) ou une colonne de poste",
    "a column named like {}, or ": "une colonne nommée comme {}, ou ",
    "received (the date and time the call came in)":
        "received (la date et l'heure de réception de l'appel)",
    "call_type (the call type code or name)": "call_type (le code ou le nom du type d'appel)",
    "x, y and crs together (e.g. EPSG:32188 for MTM zone 8)":
        "x, y et crs ensemble (p. ex. EPSG:32188 pour la zone MTM 8)",
    "lat and lon together": "lat et lon ensemble",
    # indicator tables and catalogues
    "an indicator catalogue describes census or indicator values, and this file is read as {} "
    "({}).": "un catalogue d'indicateurs décrit des valeurs de recensement ou des indicateurs, "
             "et ce fichier est lu comme {} ({}).",
    "a census or indicator table with --catalogue, or no --catalogue":
        "un tableau de recensement ou d'indicateurs avec --catalogue, ou pas de --catalogue",
    "its catalogue's {} must be a list of tables ([[{}]]).":
        "le {} de son catalogue doit être une liste de tables ([[{}]]).",
    "its catalogue maps rows to {}, which is no indicator of the catalogue.":
        "son catalogue associe des lignes à {}, qui n'est pas un indicateur du catalogue.",
    "an [[indicator]] entry with that id in the same file":
        "une entrée [[indicator]] de cet identifiant dans le même fichier",
    "its catalogue cannot be used: {}": "son catalogue ne peut être utilisé : {}",
    "no column names the areas.": "aucune colonne ne nomme les aires.",
    "an area code column ({}) or an area name column ({}), or a mapping naming it":
        "une colonne de codes d'aire ({}) ou de noms d'aire ({}), ou une correspondance qui la "
        "nomme",
    "no column holds indicator values.": "aucune colonne ne contient de valeurs d'indicateurs.",
    "one numeric column per indicator beside the area column":
        "une colonne numérique par indicateur à côté de la colonne des aires",
    "the indicator column is empty.": "la colonne des indicateurs est vide.",
    "an indicator id or alias on each row": "un identifiant ou un alias d'indicateur sur chaque "
                                            "ligne",
    "unknown_indicators is {}.": "unknown_indicators vaut {}.",
    "{} indicator(s) are not in the catalogue: {} ….":
        "{} indicateur(s) ne sont pas dans le catalogue : {} …",
    "{} indicator(s) are not in the catalogue: {}.":
        "{} indicateur(s) ne sont pas dans le catalogue : {}.",
    "indicators of the catalogue ({}); describe the others in a catalogue file (--catalogue, "
    "see docs/indicators.md) or import them as indices of unknown direction "
    "(--unknown-indicators index)":
        "des indicateurs du catalogue ({}) ; décrivez les autres dans un fichier de catalogue "
        "(--catalogue, voir docs/indicators.md) ou importez-les comme indices de sens inconnu "
        "(--unknown-indicators index)",
    "the table has a header but no row of values.":
        "le tableau a un en-tête mais aucune ligne de valeurs.",
    # values
    "{} of {} dates cannot be read ({}).": "{} des {} dates ne peuvent être lues ({}).",
    "{} of {} times received cannot be read.":
        "{} des {} heures de réception ne peuvent être lues.",
    "the dates and times (e.g. {}) are in no known form.":
        "les dates et heures (p. ex. {}) n'ont aucune forme connue.",
    "day and month cannot be told apart in the dates (no day after the 12th in the first "
    "values).": "le jour et le mois ne peuvent être distingués dans les dates (aucun jour "
                "après le 12 dans les premières valeurs).",
    "{} weight(s) are not numbers (such as {}).":
        "{} pondération(s) ne sont pas des nombres (par exemple {}).",
    "{} latitude and longitude look swapped (column {} holds values like {}, which is a "
    "longitude, and {} values like {}).":
        "{} la latitude et la longitude semblent inversées (la colonne {} contient des "
        "valeurs comme {}, qui est une longitude, et {} des valeurs comme {}).",
    "{} x and y look swapped (column {} holds values like {}, column {} values like {}).":
        "{} x et y semblent inversés (la colonne {} contient des valeurs comme {}, la colonne "
        "{} des valeurs comme {}).",
    "{} columns {}/{} hold values like {}/{}, which are not degrees: they look like projected "
    "coordinates in metres.":
        "{} les colonnes {}/{} contiennent des valeurs comme {}/{}, qui ne sont pas des "
        "degrés : elles ressemblent à des coordonnées projetées en mètres.",
    "{} columns {}/{} hold values like {}/{}, which look like longitude/latitude degrees, not "
    "{} coordinates.":
        "{} les colonnes {}/{} contiennent des valeurs comme {}/{}, qui ressemblent à des "
        "degrés de longitude/latitude, pas à des coordonnées {}.",
    "{} they fall {} (CRS tried: {}; first point {}, {}). The CRS is probably wrong.":
        "{} elles tombent {} (SCR essayé : {} ; premier point {}, {}). Le SCR est "
        "probablement faux.",
    # what was expected
    'a setting "scale": "1-5" as well': 'un réglage "scale": "1-5" aussi',
    'the lowest and highest codes, e.g. "1-5"': 'les codes le plus bas et le plus haut, p. ex. '
                                                '"1-5"',
    '"favourable": "high" (the highest code is the most favourable answer) or "low"':
        '"favourable": "high" (le code le plus haut est la réponse la plus favorable) ou "low"',
    '"{}": "9" or "8, 9"': '"{}": "9" ou "8, 9"',
    "'don't know' and refusal codes outside the scale":
        "des codes « ne sait pas » et de refus hors de l'échelle",
    "'received_format' in the mapping: DD/MM/YYYY HH:MM:SS or MM/DD/YYYY HH:MM:SS":
        "« received_format » dans la correspondance : DD/MM/YYYY HH:MM:SS ou "
        "MM/DD/YYYY HH:MM:SS",
    "HSDS columns {}; found {}": "les colonnes HSDS {} ; trouvées : {}",
    "HSDS tables {} and locations.csv, service_at_location.csv":
        "les tables HSDS {} et locations.csv, service_at_location.csv",
    "a CSV file with a code column and a description column":
        "un fichier CSV avec une colonne de codes et une colonne de descriptions",
    "a CSV file; for an Excel workbook use the .xlsx extension":
        "un fichier CSV ; pour un classeur Excel, l'extension .xlsx",
    "a GeoJSON FeatureCollection": "une FeatureCollection GeoJSON",
    "a GeoJSON, Shapefile or GeoPackage of polygons":
        "un GeoJSON, un shapefile ou un GeoPackage de polygones",
    "a code column and a description column": "une colonne de codes et une colonne de "
                                              "descriptions",
    "a column mapping (--mapping MAPPING.json) naming columns of the file: {}":
        "une correspondance des colonnes (--mapping MAPPING.json) nommant des colonnes du "
        "fichier : {}",
    "a column mapping (import wizard, or --mapping MAPPING.json) naming columns of the file: {}":
        "une correspondance des colonnes (assistant d'importation, ou --mapping MAPPING.json) "
        "nommant des colonnes du fichier : {}",
    "a column name (text)": "un nom de colonne (texte)",
    "a complete GeoJSON, GeoPackage or shapefile (a .shp needs its .shx and .dbf beside it, "
    "with the same name)": "un GeoJSON, un GeoPackage ou un shapefile complet (un .shp a "
                           "besoin de ses .shx et .dbf à côté, du même nom)",
    "a complete compressed file; download it again":
        "un fichier compressé complet ; téléchargez-le de nouveau",
    "a complete file; copy or download it again":
        "un fichier complet ; copiez-le ou téléchargez-le de nouveau",
    "a compressed file that expands to a reasonable size; if this one is genuine, raise the "
    "limit with {}": "un fichier compressé de taille raisonnable une fois décompressé ; s'il "
                     "est authentique, relevez la limite avec {}",
    "a file saved in one encoding (UTF-8 preferably): open it in a spreadsheet and save it "
    "again as CSV UTF-8": "un fichier enregistré dans un seul encodage (UTF-8 de préférence) : "
                          "ouvrez-le dans un tableur et enregistrez-le de nouveau en CSV UTF-8",
    "a file with a CRS (a .prj, or a GeoJSON crs member)":
        "un fichier avec un SCR (un .prj, ou un membre crs du GeoJSON)",
    "a file with a CRS (a .prj, or a GeoPackage's own)":
        "un fichier avec un SCR (un .prj, ou celui du GeoPackage)",
    "a file with a CRS, or x/y columns and 'crs' in the mapping":
        "un fichier avec un SCR, ou des colonnes x/y et « crs » dans la correspondance",
    "a file with a valid .prj or CRS": "un fichier avec un .prj ou un SCR valide",
    "a first column CATEGORIE (Ville de Montréal) or ID, Variable (City of Vancouver)":
        "une première colonne CATEGORIE (Ville de Montréal) ou ID, Variable (Ville de "
        "Vancouver)",
    "a header row and data rows": "une ligne d'en-tête et des lignes de données",
    "a number (1.25 or 1,25) or nothing in every cell of the weight column; or import with "
    "the option ignore_weights": "un nombre (1.25 ou 1,25) ou rien dans chaque cellule de la "
                                 "colonne de pondération ; ou importez avec l'option "
                                 "ignore_weights",
    "a point layer": "une couche de points",
    "a point layer named {}": "une couche de points nommée {}",
    "a station id per area": "un poste par secteur",
    "a table with one column per variable; if this one is genuine, raise the limit with {}":
        "un tableau d'une colonne par variable ; s'il est authentique, relevez la limite "
        "avec {}",
    "an .xlsx file saved by Excel or LibreOffice": "un fichier .xlsx enregistré par Excel ou "
                                                   "LibreOffice",
    "an MBTiles file (SQLite)": "un fichier MBTiles (SQLite)",
    "an SQLite file with 'tiles' and 'metadata' tables":
        "un fichier SQLite avec des tables « tiles » et « metadata »",
    "an archive that opens in a file manager": "une archive qui s'ouvre dans un gestionnaire "
                                               "de fichiers",
    "columns named like Q01, Q1[SQ001] or group/q1, or headed with the question text after "
    "the tool's own columns": "des colonnes nommées comme Q01, Q1[SQ001] ou group/q1, ou "
                              "titrées du texte de la question après les colonnes de l'outil",
    "columns of the file: {}": "colonnes du fichier : {}",
    "columns question_id, code, label (question_id * or empty for every question)":
        "des colonnes question_id, code, label (question_id * ou vide pour toutes les "
        "questions)",
    "columns {}; found {}": "les colonnes {} ; trouvées : {}",
    "dissemination areas whose codes are in the workspace":
        "des aires de diffusion dont les codes sont dans l'espace de travail",
    "each source category once": "chaque catégorie de la source une seule fois",
    "issue tags among {}, separated by commas": "des étiquettes d'enjeu parmi {}, séparées "
                                                "par des virgules",
    "label column(s) followed by one column per area":
        "une ou des colonnes de libellés suivies d'une colonne par secteur",
    "numbers in the score columns, one row per area":
        "des nombres dans les colonnes de scores, une ligne par secteur",
    "one JSON object a line with lat, lon, amenity, tags; or a GeoJSON FeatureCollection with "
    "amenity tags": "un objet JSON par ligne avec lat, lon, amenity, tags ; ou une "
                    "FeatureCollection GeoJSON avec des étiquettes amenity",
    "one encoding for the whole file: save it again as UTF-8":
        "un seul encodage pour tout le fichier : enregistrez-le de nouveau en UTF-8",
    "one numeric column per theme (such as sécurité, confiance, satisfaction), or columns "
    "theme and score": "une colonne numérique par thème (comme sécurité, confiance, "
                       "satisfaction), ou des colonnes theme et score",
    "one of {}": "l'un de {}",
    "one of {}, or 'received_format' in the mapping":
        "l'un de {}, ou « received_format » dans la correspondance",
    "one polygon per station": "un polygone par poste",
    "one row per source category": "une ligne par catégorie de la source",
    "polygons": "des polygones",
    "polygons (one per station)": "des polygones (un par poste)",
    "short values; a very long one usually means a missing line break or quote; if it is "
    "genuine, raise the limit with {}": "des valeurs courtes ; une très longue signale "
                                        "d'habitude un saut de ligne ou un guillemet manquant ; "
                                        "si elle est authentique, relevez la limite avec {}",
    "street lines (an OSMnx 'edges' layer or a road network)":
        "des lignes de rues (une couche « edges » d'OSMnx ou un réseau routier)",
    "swap 'lat' and 'lon' in the column mapping":
        "intervertissez « lat » et « lon » dans la correspondance des colonnes",
    "swap 'x' and 'y' in the column mapping":
        "intervertissez « x » et « y » dans la correspondance des colonnes",
    "the 98-401-X2021006 columns ALT_GEO_CODE, CHARACTERISTIC_ID, C1_COUNT_TOTAL (French: "
    "CODE_GÉO_ALT, ID_CARACTÉRISTIQUE, C1_CHIFFRE_TOTAL)":
        "les colonnes du 98-401-X2021006 CODE_GÉO_ALT, ID_CARACTÉRISTIQUE, C1_CHIFFRE_TOTAL "
        "(anglais : ALT_GEO_CODE, CHARACTERISTIC_ID, C1_COUNT_TOTAL)",
    "the EPSG code of the coordinates in the mapping's 'crs' (e.g. EPSG:32188 for MTM zone 8 "
    "in Montréal, EPSG:26910 for UTM zone 10N in Vancouver, EPSG:4326 for degrees)":
        "le code EPSG des coordonnées dans le « crs » de la correspondance (p. ex. EPSG:32188 "
        "pour la zone MTM 8 à Montréal, EPSG:26910 pour la zone UTM 10N à Vancouver, "
        "EPSG:4326 pour des degrés)",
    "the category exactly as the incident file writes it":
        "la catégorie exactement comme le fichier d'incidents l'écrit",
    "the file saved again with its CRS (e.g. EPSG:32188 for MTM zone 8)":
        "le fichier enregistré de nouveau avec son SCR (p. ex. EPSG:32188 pour la zone MTM 8)",
    "the file's real CRS declared in it": "le vrai SCR du fichier déclaré dans le fichier",
    "the import without --mapping, or a reader that takes one (`portrait readers` lists each "
    "reader's fields), e.g. --reader mapped-points for incidents":
        "l'importation sans --mapping, ou un lecteur qui en prend une (`portrait readers` "
        "liste les champs de chaque lecteur), p. ex. --reader mapped-points pour des incidents",
    "the name of a sheet of the workbook in the mapping's 'layer'":
        "le nom d'une feuille du classeur dans le « layer » de la correspondance",
    "the same number of fields on every row, with quotes around values that contain the "
    "delimiter": "le même nombre de champs sur chaque ligne, avec des guillemets autour des "
                 "valeurs qui contiennent le séparateur",
    "the same number of {}-separated fields on every line":
        "le même nombre de champs séparés par {} sur chaque ligne",
    "these columns mapped as lon/lat instead of x/y":
        "ces colonnes associées à lon/lat plutôt qu'à x/y",
    "these columns mapped as x/y with their CRS (an EPSG code such as EPSG:32188 for MTM zone "
    "8) instead of lat/lon": "ces colonnes associées à x/y avec leur SCR (un code EPSG comme "
                             "EPSG:32188 pour la zone MTM 8) plutôt qu'à lat/lon",
    "x/y or lat/lon columns in the mapping": "des colonnes x/y ou lat/lon dans la "
                                             "correspondance",
    "{}.shp, {}.shx and {}.dbf (and .prj) in the same folder: copy all of the shapefile's "
    "files together": "{}.shp, {}.shx et {}.dbf (et .prj) dans le même dossier : copiez tous "
                      "les fichiers du shapefile ensemble",
    "{}; or set 'date_format' in the column mapping":
        "{} ; ou réglez « date_format » dans la correspondance des colonnes",
    "{}; or set 'received_format' in the mapping":
        "{} ; ou réglez « received_format » dans la correspondance",
    '{}a column mapping naming it (e.g. {"{}": "COLUMN"} in --mapping MAPPING.json); columns '
    'of the file: {}': '{}une correspondance des colonnes qui la nomme (p. ex. {"{}": '
                       '"COLONNE"} dans --mapping MAPPING.json) ; colonnes du fichier : {}',
}
