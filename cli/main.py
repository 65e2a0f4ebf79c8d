"""``portrait``: start the app, or work on workspaces from the command line.

Commands that need no window never import Qt, so they run on machines without a display.
Known problems (a bad file, a missing column) exit with status 1 and a one-paragraph message;
there is no traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cli import calls as calls_command
from portrait import __version__
from portrait.errors import CancelledError, PortraitError

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portrait",
        description="Portrait de quartier: neighbourhood portraits for police community officers. "
        "Without a command, opens the app on the demo workspace.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    open_ = commands.add_parser("open", help="open a workspace (.gpkg) in the app")
    open_.add_argument("workspace", type=Path)

    new = commands.add_parser("new", help="create an empty workspace for a city (its metric "
                              "CRS and its police's words) or in a given metric CRS")
    new.add_argument("workspace", type=Path)
    _place_options(new)
    new.add_argument("--title", default="", help="the workspace's title (default: file name)")
    new.add_argument("--station-term", default="",
                     help="what a station is called, when not the city's usual term "
                          "(\"District\" for stations made of council districts)")

    demo = commands.add_parser("demo", help="write the demo city's files and a ready workspace")
    demo.add_argument("--out", type=Path, required=True, help="folder to write into")
    demo.add_argument("--size", choices=("small", "default", "large"), default="default")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--stations", type=int, help="stations instead of the size's (up to 150)")
    demo.add_argument("--incidents", type=int,
                      help="incidents instead of the size's (up to 10,000,000)")

    import_ = commands.add_parser("import", help="import files into a workspace (created if "
                                  "missing) and print the import report")
    import_.add_argument("workspace", type=Path)
    import_.add_argument("files", type=Path, nargs="*")
    import_.add_argument("--reader", help="reader id (see `portrait readers`); default: guessed")
    import_.add_argument("--mapping", type=Path,
                         help="JSON column mapping (field -> column; see docs/mapping.md and "
                         "`portrait readers --json`)")
    import_.add_argument("--categories", type=Path, metavar="FILE.csv",
                         help="incidents: source category -> common category and issue tags "
                         "(columns source_category, category, tags)")
    import_.add_argument("--recipe", type=Path, metavar="RECIPE.toml",
                         help="import every source a recipe names (instead of FILE...)")
    import_.add_argument("--data-dir", type=Path, metavar="DIR",
                         help="with --recipe: the folder the recipe's file patterns are in "
                         "(default: the current folder)")
    import_.add_argument("--area-prefix", help="census: keep areas whose code starts with this")
    import_.add_argument("--catalogue", type=Path, metavar="FILE",
                         help="census or indicator values: an indicator catalogue (TOML or "
                              "CSV, see docs/indicators.md) stored with them")
    import_.add_argument("--unknown-indicators", choices=("refuse", "index"),
                         help="indicator tables: refuse columns the catalogue does not know "
                              "(default), or import them as indices of unknown direction")
    import_.add_argument("--attribution",
                         help="streets: the credit the maps print for a road network that is "
                         "not OpenStreetMap (e.g. \"Ville de Montréal, CC BY 4.0\")")
    _place_options(import_, " created by this import (a recipe may give its CRS)")
    import_.add_argument("--json", action="store_true", help="print the reports as JSON")
    import_.add_argument("--replace-anyway", action="store_true",
                         help="import even when no row is kept, or when far fewer rows would "
                         "replace those of an earlier import of the same source")
    import_.add_argument("--allow-outside", action="store_true",
                         help="import even when most located rows fall outside every station")

    imports = commands.add_parser("imports", help="list a workspace's imports, or remove one")
    imports.add_argument("workspace", type=Path)
    imports.add_argument("--remove", metavar="ID",
                         help="remove exactly this import's rows and report")
    imports.add_argument("--json", action="store_true", help="print as JSON")
    import_.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                         help="when another program is changing the workspace, wait up to "
                         "SECONDS for it to finish (default: refuse at once)")
    import_.add_argument("--force-unlock", action="store_true",
                         help="take over a lock left on the workspace by another computer")
    limits = import_.add_argument_group("input limits (raise them for a genuine file)")
    limits.add_argument("--max-expansion", type=float, metavar="RATIO",
                        help="how many times its size a compressed file may expand (100)")
    limits.add_argument("--max-expanded-mb", type=float, metavar="MB",
                        help="size a compressed file may expand to (2048)")
    limits.add_argument("--max-field-chars", type=int, metavar="N",
                        help="characters in one value of a CSV file (100000)")
    limits.add_argument("--max-columns", type=int, metavar="N",
                        help="columns of a CSV file (2000)")

    readers = commands.add_parser("readers", help="list the registered readers")
    readers.add_argument("--json", action="store_true",
                         help="each reader's id, kind, file types and fields (required or "
                         "optional, meaning in French and English)")

    report = commands.add_parser("report", help="build the portrait of a station (or of all "
                                 "stations) and write it as JSON")
    report.add_argument("workspace", type=Path)
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--station", help="station id or name (e.g. 38, \"PDQ 38\", Kitsilano)")
    which.add_argument("--all-stations", action="store_true",
                       help="every station: OUT is a folder (one file per station) or one "
                       ".json file holding them all")
    report.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD (default: the "
                        "first incident)")
    report.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD (default: the last "
                        "incident)")
    report.add_argument("--json", dest="out", type=Path, required=True,
                        help="where to write (\"-\" for standard output)")
    report.add_argument("--jobs", type=int, default=None,
                        help="processes for --all-stations (default: one per core)")

    brief = commands.add_parser("brief", help="write a station's briefs (PDF, Excel, "
                                "interactive map) for the station or for partners")
    brief.add_argument("workspace", type=Path)
    which = brief.add_mutually_exclusive_group(required=True)
    which.add_argument("--station", help="station id or name (e.g. 38, \"PDQ 38\", Kitsilano)")
    which.add_argument("--all-stations", action="store_true", help="every station")
    brief.add_argument("--audience", choices=("internal", "partner"), default="partner",
                       help="partner: suppressed small counts, no incident points, no "
                       "confidential notes (default); internal: everything")
    brief.add_argument("--format", default="pdf,xlsx,html",
                       help="comma-separated formats among pdf, xlsx, html (default: all)")
    brief.add_argument("--lang", choices=("fr", "en"), default="fr")
    brief.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
    brief.add_argument("--to", dest="date_to", help="last day, YYYY-MM-DD")
    brief.add_argument("--jobs", type=int, default=None,
                       help="processes for --all-stations (default: one per core)")
    brief.add_argument("--out", type=Path, required=True, help="folder to write into")
    brief.add_argument("--kind", choices=("portrait", "quarterly"), default="portrait",
                       help="portrait: the station's portrait (default); quarterly: the "
                       "action plan's community quarterly report (needs --quarter)")
    brief.add_argument("--quarter", help="quarter of a quarterly report, e.g. 2026Q3")

    approve = commands.add_parser("approve", help="record the commander's approval of a "
                                  "station's brief as it stands now")
    approve.add_argument("workspace", type=Path)
    approve.add_argument("--station", required=True, help="station id (e.g. 38)")
    approve.add_argument("--by", required=True, help="the approver's name")
    approve.add_argument("--role", default="", help="the approver's role")
    approve.add_argument("--kind", choices=("portrait", "quarterly"), default="portrait")
    approve.add_argument("--quarter", help="quarter of a quarterly report, e.g. 2026Q3")
    approve.add_argument("--from", dest="date_from", help="first day of a portrait brief")
    approve.add_argument("--to", dest="date_to", help="last day of a portrait brief")
    calls_command.add_parser(commands)
    return parser


def _place_options(command: argparse.ArgumentParser, which: str = "") -> None:
    command.add_argument("--city", help=f"the city of a workspace{which}: its metric CRS (the "
                         "local UTM zone, MTM zone 8 for Montréal) and its police's words "
                         "(\"Vancouver\", \"Kansas City\"...)")
    command.add_argument("--crs", help=f"the metric CRS of a workspace{which} (default: the "
                         "city's, else EPSG:32188, MTM zone 8 for Montréal; EPSG:26910 for "
                         "Vancouver)")


def _create_workspace(path: Path, city_name: str | None, crs: str | None, title: str = "",
                      station_term: str = ""):
    """A new workspace measured in ``crs`` (else the city's), speaking the city's words (its
    station term replaced by ``station_term`` when given)."""
    from portrait.cities import city_named, proposed_crs
    from portrait.crs import METRIC_CRS
    from portrait.service_words import MONTREAL, plural, words_for_city, write_words
    from portrait.workspace import Workspace

    city = city_named(city_name) if city_name else None
    workspace = Workspace.create(path, title, crs or (proposed_crs(city) if city else
                                                      METRIC_CRS))
    words = words_for_city(city.name, city.station_term, city.service) if city else MONTREAL
    if station_term.strip():
        words = dataclasses.replace(words, station_term=station_term.strip(),
                        stations_term=plural(station_term.strip()))
    if write_words(workspace, words):
        workspace.save()
    return workspace


def _speak_words_of(workspace) -> None:
    """The command's messages and portraits speak the workspace's service words."""
    from portrait.service_words import use_for_process, words_of

    use_for_process(words_of(workspace))


#: Python's cyclic garbage collector runs every 700 new objects by default: a one-station
#: report ran it 290 times (0.08-0.13 s), three of them over every object the imports made.
#: Every 200,000 (as mypy does), a report at a million incidents does not run it at all, and
#: ends with the same peak memory.
GC_THRESHOLDS = (200_000, 10, 10)


def run() -> None:
    """The ``portrait`` command: ``main`` in a process that ends with it.

    Garbage is collected less often (``GC_THRESHOLDS``), and what the command read is left to
    the exit to free, not collected: the interpreter's last collections walked every object a
    report had read, a tenth of a second of a one-second report. Every output is written and
    closed when ``main`` returns. OpenBLAS runs on one thread (unless the user says
    otherwise), set before numpy loads it: the portrait's matrices are small, and its worker
    threads only spun, 0.1-0.4 s of processor a report, taken from the report itself on a
    busy machine (1.4-1.6 s -> 1.25 s at 10 M incidents).
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    gc.set_threshold(*GC_THRESHOLDS)
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure ends as one line on standard error and a non-zero
    status (1: a problem the message explains; 2: an unexpected error), never a traceback
    unless ``--debug`` asks for it."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return _dispatch(args)
    except CancelledError as error:
        print(_one_line(error), file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("Interrupted; a workspace being saved was left as it was before.",
              file=sys.stderr)
        return 130
    except PortraitError as error:
        if args.debug:
            raise
        print(f"Error: {_one_line(error)}", file=sys.stderr)
        return 1
    except OSError as error:
        if args.debug:
            raise
        where = f" {error.filename}" if error.filename else ""
        print(f"Error: cannot use{where}: {error.strerror or error}. Check that the file "
              "exists, that you may read or write it, and that the disk is not full.",
              file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 (the last line of defence: one line, no traceback)
        if args.debug:
            raise
        print(f"Unexpected error ({type(error).__name__}: {_one_line(error)}). Nothing was "
              "changed in the workspace. Run the same command with --debug to see the "
              "details, and send them to the application's maintainers.", file=sys.stderr)
        return 2


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "demo":
        return _demo(args.out, args.size, args.seed, args.stations, args.incidents)
    if args.command == "new":
        return _new(args)
    if args.command == "import":
        return _import(args)
    if args.command == "imports":
        from cli.imports_command import run_imports

        return run_imports(args.workspace, args.remove, args.json)
    if args.command == "readers":
        return _readers(args.json)
    if args.command == "report":
        return _report(args)
    if args.command == "brief":
        return _brief(args)
    if args.command == "approve":
        return _approve(args)
    if args.command == "calls":
        summary = calls_command.run(args, _read_mapping, _write_json, None)
        if str(args.out) != "-":
            print(calls_command.describe(summary))
        return 0
    workspace = args.workspace if args.command == "open" else None
    return _gui(workspace)


def _gui(workspace: Path | None) -> int:
    if workspace is None:
        workspace = _ensure_demo_workspace()
    else:
        from portrait.workspace import Workspace

        Workspace.open(workspace)  # a clear message now rather than an empty window later
    from ui.app import run_app

    return run_app(sys.argv[:1], workspace)


def _ensure_demo_workspace() -> Path:
    """The demo workspace in the user's data folder, built on first run."""
    from cli.paths import demo_workspace_path

    path = demo_workspace_path()
    if not path.exists():
        print(f"First run: building the demo workspace in {path.parent} …", file=sys.stderr)
        from demo_city.build import build_demo

        build_demo(path.parent)
    return path


def _demo(out: Path, size: str, seed: int, stations: int | None = None,
          incidents: int | None = None) -> int:
    from demo_city.build import build_demo
    from demo_city.generate import sized

    started = time.perf_counter()
    try:
        city = sized(size, stations, incidents)
    except ValueError as error:
        raise PortraitError(str(error)) from None
    path = build_demo(out, size=city, seed=seed, progress=_progress_printer())
    print(f"\nDemo city ({size}, seed {seed}) written to {out} in "
          f"{time.perf_counter() - started:.1f} s; workspace: {path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from data_connectors.category_files import read_category_file
    from data_connectors.importer import import_files
    from data_connectors.input_limits import OPTION as LIMITS
    from data_connectors.recipes import run_recipe
    from portrait.workspace import Workspace
    from portrait.workspace_lock import WorkspaceLock

    recipe = _recipe(args)
    missing = [str(p) for p in args.files if not p.exists()]
    if missing:
        raise PortraitError(f"file(s) not found: {', '.join(missing)}")
    options: dict = {"area_prefix": args.area_prefix} if args.area_prefix else {}
    if args.mapping is not None:
        options["mapping"] = _read_mapping(args.mapping)
    if args.attribution:
        options["attribution"] = args.attribution
    if args.catalogue is not None:
        options["catalogue"] = str(args.catalogue)
    if args.unknown_indicators:
        options["unknown_indicators"] = args.unknown_indicators
    limits = {"max_expansion": args.max_expansion, "max_expanded_mb": args.max_expanded_mb,
              "max_field_chars": args.max_field_chars, "max_columns": args.max_columns}
    options[LIMITS] = limits
    categories = read_category_file(args.categories) if args.categories else None
    crs = args.crs or (recipe.crs if recipe is not None else None)
    if not args.workspace.parent.is_dir():
        raise PortraitError(f"Cannot use {args.workspace}: the folder {args.workspace.parent} "
                            "does not exist. Create it first, or choose another folder.")
    # Held from before the workspace is read until it is saved: another import's rows
    # cannot be lost between the two.
    with WorkspaceLock(args.workspace, wait=args.wait, force=args.force_unlock):
        created = not args.workspace.exists()
        workspace = _create_workspace(args.workspace, args.city, crs) if created \
            else Workspace.open(args.workspace)
        _speak_words_of(workspace)  # stations without a name are named in its words
        progress = None if args.json else _progress_printer()
        try:
            if recipe is not None:
                reports = run_recipe(workspace, recipe, args.data_dir or Path.cwd(),
                                     progress=progress, limits=limits,
                                     replace_anyway=args.replace_anyway,
                                     allow_outside=args.allow_outside,
                                     started=None if args.json else _source_printer)
            else:
                reports = import_files(workspace, args.files, reader_id=args.reader,
                                       options=options, progress=progress,
                                       replace_anyway=args.replace_anyway,
                                       allow_outside=args.allow_outside,
                                       categories=categories)
        except BaseException:
            if created:  # a refused import leaves nothing behind, not even an empty workspace
                args.workspace.unlink(missing_ok=True)
            raise
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        print()
        for report in reports:
            print(report.summary())
    return 0


def _new(args: argparse.Namespace) -> int:
    from portrait.crs import crs_in_words
    from portrait.service_words import words_of

    workspace = _create_workspace(args.workspace, args.city, args.crs, args.title,
                                  args.station_term)
    words = words_of(workspace)
    print(f"Created {workspace.path}: distances in {crs_in_words(workspace.crs)}; stations "
          f"named like \"{words.station_label('1')}\", city {words.city}.")
    return 0


def _read_mapping(path: Path) -> dict:
    from data_connectors.column_mapping import read_mapping_file

    return read_mapping_file(path)


def _recipe(args: argparse.Namespace):
    """The recipe of ``--recipe``, checked; None without one. A recipe names its own files,
    readers, mappings and categories, so these options go with files only."""
    from data_connectors.recipes import load_recipe

    if args.recipe is None:
        if not args.files:
            raise PortraitError("portrait import: give the files to import, or --recipe "
                                "RECIPE.toml with --data-dir DIR.")
        if args.data_dir is not None:
            raise PortraitError("portrait import: --data-dir goes with --recipe.")
        return None
    given = [name for name, value in (("FILE", args.files), ("--reader", args.reader),
                                      ("--mapping", args.mapping),
                                      ("--categories", args.categories)) if value]
    if given:
        raise PortraitError(f"portrait import: {', '.join(given)} cannot be given with "
                            "--recipe: the recipe names each source's files, reader, "
                            "mapping and categories.")
    return load_recipe(args.recipe)


def _source_printer(source, paths: list[Path]) -> None:
    names = ", ".join(p.name for p in paths)
    print(f"\n{source.name} ({source.reader}): {names}", file=sys.stderr)


def _readers(as_json: bool = False) -> int:
    from data_connectors.registry import READERS

    if as_json:
        print(json.dumps([{"id": r.id, "label": r.label, "kind": r.kind,
                           "patterns": list(r.patterns), "takes_mapping": bool(r.fields),
                           "fields": [f.to_dict() for f in r.fields]} for r in READERS],
                         ensure_ascii=False, indent=2))
        return 0
    for reader in READERS:
        print(f"{reader.id:22} {reader.kind:15} {' '.join(reader.patterns):30} {reader.label}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from cli.report_command import write_all_reports
    from portrait.engine import build_portrait, prepare
    from portrait.workspace import Workspace

    period = (_date(args.date_from, "--from"), _date(args.date_to, "--to"))
    period = None if period == (None, None) else period
    started = time.perf_counter()
    _note_writer(args.workspace)
    workspace = Workspace.open(args.workspace)
    _speak_words_of(workspace)
    data = prepare(workspace)
    progress = None if str(args.out) == "-" else _progress_printer()
    if args.station is not None:
        portrait = build_portrait(data, args.station, period, progress=progress)
        _write_json(args.out, portrait.to_dict())
        periods = [portrait.period]
    else:
        periods = [p for _, p in write_all_reports(data, period, args.out, args.jobs,
                                                   progress)]
    if str(args.out) != "-":
        period_text = " to ".join(periods[0]) if periods and periods[0] else "no incidents"
        print(f"\n{len(periods)} portrait(s) ({period_text}) written to {args.out} in "
              f"{time.perf_counter() - started:.1f} s")
    return 0


def _brief(args: argparse.Namespace) -> int:
    from exports.briefs import (
        brief_options,
        parse_formats,
        write_all_station_briefs,
        write_station_briefs,
    )
    from portrait.engine import prepare
    from portrait.workspace import Workspace

    formats = parse_formats(args.format)
    if args.kind != "quarterly" and args.quarter is not None:
        raise PortraitError("--quarter is for a quarterly report: add --kind quarterly.")
    period = (_date(args.date_from, "--from"), _date(args.date_to, "--to"))
    period = None if period == (None, None) else period
    if not args.workspace.exists():
        raise PortraitError(f"Workspace {args.workspace} not found.")
    started = time.perf_counter()
    _note_writer(args.workspace)
    workspace = Workspace.open(args.workspace)
    _speak_words_of(workspace)
    data = prepare(workspace)
    options = brief_options(workspace, args.audience, args.lang)  # its own thresholds
    if args.kind == "quarterly":
        written = [_quarterly(args, workspace, data, options, formats)]
    elif args.station is not None:
        written = [write_station_briefs(workspace, data, args.station, options, formats,
                                        args.out, period)]
    else:
        written = write_all_station_briefs(workspace, data, options, formats, args.out, period,
                                           jobs=args.jobs, progress=_progress_bar)
        print(file=sys.stderr)
    files = sum(len(w.paths) for w in written)
    print(f"{files} file(s) for {len(written)} station(s) ({args.audience}, {args.lang}) "
          f"written to {args.out} in {time.perf_counter() - started:.1f} s")
    for item in written if len(written) == 1 else []:
        for path in item.paths.values():
            print(f"  {path}")
    return 0


def _note_writer(path: Path) -> None:
    """Readers never wait for a writer; they say which saved version they read."""
    from portrait.workspace_lock import current_holder

    holder = current_holder(path)
    if holder is not None:
        print(f"Note: {path.name} is being changed by {holder.describe()}; this reads the "
              "version it last saved.", file=sys.stderr)


def _quarterly(args: argparse.Namespace, workspace, data, options, formats):
    from exports.briefs import write_quarterly_briefs
    from portrait.quarters import parse_quarter

    if args.quarter is None or args.station is None:
        raise PortraitError("A quarterly report needs --station and --quarter (e.g. "
                            "--station 38 --quarter 2026Q3).")
    if args.date_from is not None or args.date_to is not None:
        raise PortraitError("A quarterly report covers its --quarter: leave out --from and "
                            "--to.")
    return write_quarterly_briefs(workspace, data, args.station, parse_quarter(args.quarter),
                                  options, formats, args.out)


def _approve(args: argparse.Namespace) -> int:
    from exports.brief_build import workspace_records
    from exports.brief_signoff import approve, quarterly_content
    from portrait.engine import build_portrait, prepare, resolve_station
    from portrait.quarters import parse_quarter
    from portrait.signoff import portrait_content
    from portrait.stations import station_label
    from portrait.workspace import Workspace

    if not args.workspace.exists():
        raise PortraitError(f"Workspace {args.workspace} not found.")
    workspace = Workspace.open(args.workspace)
    _speak_words_of(workspace)  # the content approved is the one its briefs print
    data = prepare(workspace)
    station = resolve_station(data, args.station)
    if args.kind == "quarterly":
        if args.quarter is None:
            raise PortraitError("Approving a quarterly report needs --quarter (e.g. 2026Q3).")
        quarter = parse_quarter(args.quarter)
        content = quarterly_content(workspace, data, station, quarter)
        period = quarter.label
    else:
        period = (_date(args.date_from, "--from"), _date(args.date_to, "--to"))
        portrait = build_portrait(data, station, None if period == (None, None) else period)
        content = portrait_content(portrait, workspace_records(workspace, station))
        period = " – ".join(portrait.period or ())
    approval = approve(args.workspace, station, args.kind, period, content, args.by,
                       args.role)
    print(f"Brief ({args.kind}, {station_label(station)}, {period}) approved by "
          f"{approval.approver} at {approval.approved_at}.")
    return 0


def _progress_bar(done: int, total: int, station_id: str) -> None:
    from portrait.stations import station_label

    width = 30
    filled = int(width * done / max(total, 1))
    print(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} "
          f"{station_label(station_id):<12}",
          end="", file=sys.stderr, flush=True)


def _date(text: str | None, option: str):
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PortraitError(f"{option} {text!r}: expected a date as YYYY-MM-DD.") from None


def _write_json(path: Path, data: dict) -> None:
    from cli.report_command import json_text, write_text

    write_text(path, json_text(data))


def _progress_printer():
    last = [-1]

    def show(fraction: float, message: str) -> None:
        percent = int(fraction * 100)
        if percent != last[0] and sys.stderr.isatty():
            print(f"\r{percent:3d}% {message[:70]:70}", end="", file=sys.stderr, flush=True)
            last[0] = percent

    return show


if __name__ == "__main__":
    run()
