"""Run the benchmarks and merge their figures into bench/results.json (`make bench`).

A benchmark is a module beside this file with NAME, run(ctx) -> dict and summary(dict) -> str;
list it in BENCHMARKS. See bench/README.md.
"""

import argparse
import shutil

import accountability_clues
import annual_report
import assessment_figures
import assessment_officers
import baseline
import case_pages
import complaint_intake
import complaint_sweep
import dashboard_scale
import harness
import hostile_inputs
import intake_peers
import lighthouse
import power_import
import power_search
import upload_stream

BENCHMARKS = [
    baseline,
    power_search,
    power_import,
    complaint_sweep,
    complaint_intake,
    intake_peers,
    upload_stream,
    case_pages,
    hostile_inputs,
    assessment_figures,
    assessment_officers,
    accountability_clues,
    dashboard_scale,
    annual_report,
    lighthouse,
]


def main(argv: list[str] | None = None) -> int:
    names = [module.NAME for module in BENCHMARKS]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help=f"benchmarks to run, of {names} (default: all)")
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load not measured")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    if unknown := set(args.only) - set(names):
        parser.error(f"no benchmark named {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        parser.exit(1, "wrk is not installed (Debian: apt-get install wrk)\n")

    ctx = harness.prepare(
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        threads=args.threads,
    )
    machine = harness.machine_info()
    summaries = []
    for module in BENCHMARKS:
        if args.only and module.NAME not in args.only:
            continue
        result = module.run(ctx)
        harness.save_result(module.NAME, result, machine)
        summaries.append(module.summary(result))

    print(
        f"\n{machine['cpu_model']}, {machine['cores']} cores, {machine['memory_gb']} GB;"
        f" Python {machine['python']}, PostgreSQL {machine['postgres']} ({ctx.database_label})"
    )
    print("\n\n".join(summaries))
    print(f"\nwritten to {harness.RESULTS.relative_to(harness.ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
