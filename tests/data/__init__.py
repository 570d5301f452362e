"""Real CNEMC hourly data for Liaocheng's five national stations (copied from ../shared/data/, see its README)."""

from pathlib import Path

CNEMC_DIR = Path(__file__).resolve().parent / "cnemc-liaocheng"
