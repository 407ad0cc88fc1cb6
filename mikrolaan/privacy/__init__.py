"""Data protection: the access log pages, the GDPR export of one citizen and
retention (anonymisation after the retention period).

The package never imports an app. Apps tell it what personal data they hold
in a ``gdpr.py`` module of their own (found automatically at start-up), with
the functions of :mod:`mikrolaan.privacy.registry`.
"""
