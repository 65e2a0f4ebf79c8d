"""Run a benchmark: ``python -m benchmarks NAME [options]`` (``--help`` lists them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    commands = parser.add_subparsers(dest="name", required=True)
    demo = commands.add_parser("demo", help="generate a demo city and build its workspace")
    demo.add_argument("--size", default="large", choices=("small", "default", "large"))
    demo.add_argument("--out", type=Path, default=Path("/tmp/portrait-bench-demo"))
    startup = commands.add_parser("startup", help="cold start of the window on a workspace")
    startup.add_argument("--workspace", type=Path,
                         default=Path("/tmp/portrait-bench-default/demo.gpkg"))
    startup.add_argument("--runs", type=int, default=3)
    import_ = commands.add_parser("import", help="import 1,000,000 SPVM incident rows")
    import_.add_argument("--source", type=Path,
                         default=Path("/tmp/portrait-bench-demo/actes-criminels.csv"))
    census = commands.add_parser("census", help="stream a ~2 GB census profile to one city")
    census.add_argument("--size-gb", type=float, default=2.0)
    census.add_argument("--city-areas", type=int, default=3_500)
    census.add_argument("--out", type=Path, default=Path("/tmp/portrait-bench-census"))
    census.add_argument("--keep", action="store_true", help="keep the generated files")
    portrait = commands.add_parser("portrait", help="portraits of the large demo city's stations")
    portrait.add_argument("--workspace", type=Path,
                          default=Path("/tmp/portrait-bench-demo/demo.gpkg"))
    portrait.add_argument("--work", type=Path, default=Path("/tmp/portrait-bench-scoped"),
                          help="folder the workspace is copied into (the station file is "
                               "written beside it)")
    portrait.add_argument("--millions", type=int, default=1,
                          help="grow the copy's incidents to this many millions (3, 10)")
    portrait.add_argument("--runs", type=int, default=3)
    briefs = commands.add_parser("briefs", help="PDF, Excel and map briefs of the large demo")
    briefs.add_argument("--workspace", type=Path,
                        default=Path("/tmp/portrait-bench-demo/demo.gpkg"))
    briefs.add_argument("--jobs", type=int, default=None)
    quarterly = commands.add_parser("quarterly", help="quarterly report and sign-off digest "
                                    "on the default demo city")
    quarterly.add_argument("--workspace", type=Path,
                           default=Path("/tmp/portrait-bench-default/demo.gpkg"))
    ui = commands.add_parser("ui", help="window start-up, station switches, big maps, "
                                         "GUI thread heartbeat")
    ui.add_argument("--workspace", type=Path,
                    default=Path("/tmp/portrait-bench-default/demo.gpkg"))
    ui.add_argument("--large-workspace", type=Path,
                    default=Path("/tmp/portrait-bench-demo/demo.gpkg"))
    ui.add_argument("--runs", type=int, default=3)
    workspace_file = commands.add_parser(
        "workspace-file", help="kill -9 during imports and saves (0 damaged, 0 half states); "
        "cost of the integrity check on open; cost of a record edit's save and autosave")
    workspace_file.add_argument("what", choices=("crash", "integrity", "saves", "all"),
                                nargs="?", default="all")
    workspace_file.add_argument("--incidents-times", type=int, default=1,
                                help="saves: repeat the copy's incidents N times first")
    workspace_file.add_argument("--workspace", type=Path,
                                default=Path("/tmp/portrait-bench-demo/demo.gpkg"))
    workspace_file.add_argument("--source", type=Path,
                                default=Path("/tmp/portrait-bench-demo/repertoire_services.csv"),
                                help="the file each crash trial imports")
    workspace_file.add_argument("--trials", type=int, default=50)
    workspace_file.add_argument("--seed", type=int, default=13)
    workspace_file.add_argument("--runs", type=int, default=5)
    calls = commands.add_parser("calls", help="import 1,000,000 calls for service and time "
                                "the call-demand section")
    calls.add_argument("--out", type=Path, default=Path("/tmp/portrait-bench-calls"))
    args = parser.parse_args(argv)
    if args.name == "demo":
        from benchmarks.bench_demo import run

        run(args.size, args.out)
    elif args.name == "startup":
        from benchmarks.bench_startup import run

        run(args.workspace, args.runs)
    elif args.name == "import":
        from benchmarks.bench_import import run

        run(args.source)
    elif args.name == "census":
        from benchmarks.bench_census import run

        run(args.size_gb, args.city_areas, args.out, args.keep)
    elif args.name == "portrait":
        from benchmarks.bench_portrait import run

        run(args.workspace, args.work, args.millions, args.runs)
    elif args.name == "briefs":
        from benchmarks.bench_briefs import run

        run(args.workspace, args.jobs)
    elif args.name == "quarterly":
        from benchmarks.bench_quarterly import run

        run(args.workspace)
    elif args.name == "ui":
        from benchmarks.bench_ui import run

        run(args.workspace, args.large_workspace, args.runs)
    elif args.name == "workspace-file":
        from benchmarks.bench_workspace_file import run

        run(args.what, args.workspace, args.source, args.trials, args.seed, args.runs,
            args.incidents_times)
    elif args.name == "calls":
        from benchmarks.bench_calls import run

        run(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
