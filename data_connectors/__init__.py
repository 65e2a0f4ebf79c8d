"""Readers that turn external files into workspace layers, with an import report.

Every reader is declared in ``data_connectors.registry``; ``data_connectors.importer``
applies what they read to a workspace, all or nothing.
"""
