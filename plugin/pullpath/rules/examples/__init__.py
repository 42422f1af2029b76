"""Failing and fixed HCL for each rule: data the rule docs, ``pullpath explain`` and the doc tests use.

Kept apart from the rule logic so a family module stays readable; each rule names its pair in its
own ``Rule(...)``. The modules here mirror the rule families (``container_groups`` holds the
examples of :mod:`pullpath.rules.container_groups`, and so on); :mod:`.parts` holds the HCL pieces
more than one family's examples are built from, each defined once.

Every example is a complete configuration fragment (the resource group and the VNet are taken as
existing) built from those pieces, so a fix reads as a difference; where a fix is the documented
path an earlier rule already shows, it is that example. The doc tests run each pair through the
rules, so an example that stops failing (or fixing) fails the build.
"""
