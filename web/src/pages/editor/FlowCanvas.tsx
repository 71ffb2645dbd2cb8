// The canvas: React Flow drawing the document. Drags, sizes and selection live in React Flow's nodes;
// the document changes only when an edit is done (a drag ends, a connection is drawn, a delete).
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnDelete,
  type OnNodeDrag,
  type OnSelectionChangeFunc,
} from "@xyflow/react";
import { memo, useCallback, useEffect, useState } from "react";
import { disconnect, moveNodes, removeNodes } from "../../graph/document";
import { applyConnection, meaningOf, toCardNodes, toFlowEdges, type CardNode, type RunStatus, type StoredEdge } from "../../graph/flow";
import type { GraphDoc } from "../../graph/types";
import { NodeCard } from "./NodeCard";

const NODE_TYPES = { fastgpt: NodeCard };
const DELETE_KEYS = ["Delete", "Backspace"];

export interface FlowCanvasProps {
  doc: GraphDoc;
  update: (edit: (doc: GraphDoc) => GraphDoc) => void;
  statuses: Record<string, RunStatus | undefined>;
  onSelect: (nodeId: string | null) => void;
}

export const FlowCanvas = memo(function FlowCanvas({ doc, update, statuses, onSelect }: FlowCanvasProps) {
  const [nodes, setNodes] = useState<CardNode[]>(() => toCardNodes(doc, [], statuses));
  const [edges, setEdges] = useState<StoredEdge[]>(() => toFlowEdges(doc));

  useEffect(() => {
    setNodes((previous) => toCardNodes(doc, previous, statuses));
  }, [doc, statuses]);
  useEffect(() => {
    setEdges((previous) => toFlowEdges(doc, previous));
  }, [doc]);

  const onNodesChange = useCallback((changes: NodeChange<CardNode>[]) => {
    setNodes((current) => applyNodeChanges(changes, current));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<StoredEdge>[]) => {
    setEdges((current) => applyEdgeChanges(changes, current));
  }, []);
  const onNodeDragStop: OnNodeDrag<CardNode> = useCallback(
    (_event, _node, dragged) => {
      update((current) => moveNodes(current, dragged.map((node) => [node.id, node.position] as const)));
    },
    [update],
  );
  const onConnect = useCallback(
    (connection: Connection) => update((current) => applyConnection(current, connection)),
    [update],
  );
  const isValidConnection = useCallback((connection: Connection | Edge) => meaningOf(connection).kind !== "invalid", []);
  const onDelete: OnDelete<CardNode, StoredEdge> = useCallback(
    ({ nodes: goneNodes, edges: goneEdges }) => {
      update((current) =>
        disconnect(
          removeNodes(current, goneNodes.map((node) => node.id)),
          goneEdges.flatMap((edge) => (edge.data ? [edge.data.stored] : [])),
        ),
      );
    },
    [update],
  );
  const onSelectionChange: OnSelectionChangeFunc<CardNode, StoredEdge> = useCallback(
    ({ nodes: selected }) => onSelect(selected.length === 1 ? selected[0].id : null),
    [onSelect],
  );

  return (
    <ReactFlow<CardNode, StoredEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onNodeDragStop={onNodeDragStop}
      onConnect={onConnect}
      isValidConnection={isValidConnection}
      onDelete={onDelete}
      onSelectionChange={onSelectionChange}
      deleteKeyCode={DELETE_KEYS}
      fitView
      fitViewOptions={{ maxZoom: 1 }}
      minZoom={0.1}
      maxZoom={2}
    >
      <Background gap={20} />
      <Controls />
      <MiniMap pannable zoomable ariaLabel="Workflow overview" />
    </ReactFlow>
  );
});
