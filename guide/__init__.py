"""Tebiki (手引き): a guided-help app for applying online for 介護支援ボランティアポイント."""

__version__ = "0.1.0"
