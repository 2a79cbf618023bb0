"""What the congress app registers when ready: the lifecycle of its session rules."""

from gonghui.congress import workflow  # noqa: F401  (registers SessionRulesWorkflow)
