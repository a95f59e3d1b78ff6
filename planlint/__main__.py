"""`python -m planlint` and the `planlint` command."""

import gc


def run() -> None:
    # Importing planlint makes tens of thousands of objects that live as long as the process: the cyclic
    # collector, left on meanwhile, would scan them again and again for nothing. Frozen, it never looks at
    # them again; a profile is built with it paused as well (pipeline.Profiles).
    gc.disable()
    from planlint.cli import main

    gc.freeze()
    gc.enable()
    main()


if __name__ == "__main__":
    run()
