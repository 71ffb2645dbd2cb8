"""The workflow engine: FastGPT's node graph run by an asyncio scheduler.

runner.WorkflowRunner  -> engine.Dispatch (one per nesting level) -> node.Node.run(ctx, inputs)
graph      runtime nodes/edges, edge states, run/skip/wait rule
templating {{key}} / {{$node.output$}} / [nodeId, outputId]
events     what a run yields; ports: what it needs from outside
"""
