"""Starting the assistant's processes: the one launcher (``deploy/launcher.py``, and ``python -m deploy
run`` for ``make run``), nginx's configuration template for a cluster, and the checks before a cluster
starts."""
