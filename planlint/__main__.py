"""`python -m planlint` and the `planlint` command."""

import gc


def run() -> None:
    # Importing planlint makes tens of thousands of objects that live as long as the process: the cyclic
    # collector, left on meanwhile, would scan them again and again for nothing. Frozen, it never looks at
    # them again. A profile is built with it paused, and frozen too: here it lasts the whole run.
    gc.disable()
    from planlint import pipeline
    from planlint.cli import main

    pipeline.PROFILES_LAST_THE_PROCESS = True
    gc.freeze()
    gc.enable()
    pipeline.collect_less_often()
    main()


if __name__ == "__main__":
    run()
