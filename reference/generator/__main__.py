"""python -m reference.generator: see reference/generator/cli.py."""

from reference.generator.cli import main

raise SystemExit(main())
