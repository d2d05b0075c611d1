"""`python -m kpis export-deck | export-pdf`: the event pack on a schedule, from the command line."""

from __future__ import annotations

import sys

from loaders.i18n import translator

from ..inputs import KpiInputs
from ..slides import check_refs, parse_spec


def add_parsers(sub, common) -> None:
    for name, what in (("export-deck", "PowerPoint deck (.pptx)"), ("export-pdf", "PDF briefing")):
        p = sub.add_parser(name, parents=[common], help=f"the scorecard or a playlist as a {what}")
        p.add_argument("-o", "--output", required=True, help="file to write")
        p.add_argument(
            "--slides",
            help="playlist, e.g. scorecard,pillar:SOV,indicator:IA.JOBS,map:IA.JOBS,peers (default: the scorecard)",
        )
        p.add_argument("--url", help="the dashboard's address for the printed link and QR code")


def run(args, inputs: KpiInputs, today, _) -> int:
    from .briefing import BriefingError
    from .pack import briefing_pdf, deck

    refs, bad = parse_spec(args.slides)
    refs, missing = check_refs(refs, inputs)
    if bad or missing:
        print(
            _("Slides not understood: {slides}", slides=", ".join(bad + missing)), file=sys.stderr
        )
        return 2
    kw = {"as_of": args.as_of, "method": args.method, "base": args.url}
    try:
        if args.command == "export-deck":
            data = deck(inputs, refs, args.lang, **kw)
            with open(args.output, "wb") as f:
                f.write(data)
        else:
            briefing_pdf(inputs, refs, args.lang, args.output, **kw)
    except BriefingError as e:
        print(e.message, file=sys.stderr)
        return 1
    except OSError as e:
        print(
            translator(args.lang)(
                "Cannot write {file}: {error}", file=args.output, error=e.strerror
            ),
            file=sys.stderr,
        )
        return 2
    print(args.output)
    return 0
