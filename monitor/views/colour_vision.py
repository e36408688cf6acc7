"""Check that palettes stay distinguishable for colour-blind viewers.

Simulation of protanopia, deuteranopia and tritanopia with the matrices of
Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation
of Color Vision Deficiency", IEEE TVCG 15(6), severity 1.0, applied in linear sRGB;
distances as CIE76 ΔE in CIELAB (D65).
"""

from __future__ import annotations

import numpy as np

__all__ = ["MACHADO_2009", "simulate", "to_lab", "min_adjacent_delta_e"]

MACHADO_2009 = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _to_srgb(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0, 1)
    c = np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)
    return c * 255.0


def simulate(colors, kind: str) -> np.ndarray:
    """RGB (0–255) colours as seen with the given colour vision deficiency."""
    rgb = np.asarray(colors, dtype=float)[:, :3]
    lin = _to_linear(rgb) @ MACHADO_2009[kind].T
    return _to_srgb(lin)


def to_lab(colors) -> np.ndarray:
    lin = _to_linear(np.asarray(colors, dtype=float)[:, :3])
    m = np.array(
        [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    )
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])],
        axis=1,
    )


def min_adjacent_delta_e(colors, kind: str | None = None) -> float:
    """Smallest ΔE between neighbouring classes (as seen with ``kind``)."""
    seen = simulate(colors, kind) if kind else np.asarray(colors, dtype=float)
    lab = to_lab(seen)
    return float(np.min(np.linalg.norm(np.diff(lab, axis=0), axis=1)))
