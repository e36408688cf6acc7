"""Statistical disclosure control (statistische Geheimhaltung) of published counts.

One concept per module: ``primary`` (threshold rule), ``structure`` (the additive
constraints an attacker knows), ``audit`` (attacker intervals by linear
programming), ``protection`` (how wide an interval must be), ``secondary``
(complementary suppression until the audit passes) and ``publish`` (the whole step).
The method and its cost are described in docs/DISCLOSURE.md.
"""

from monitor.methods.disclosure.publish import Publication, publish

__all__ = ["Publication", "publish"]
