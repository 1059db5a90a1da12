namespace Faceprint.Core.Graph;

/// <summary>
/// Which buffer each value of a network lives in. Values whose lifetimes do not overlap share a buffer (a value
/// dies after the last layer that reads it), so a session holds a handful of buffers instead of one per value and
/// the working set stays small enough to remain in cache. A layer's output never shares with its own inputs; the
/// input and the network outputs are never reused. The assignment depends only on the topology, so one plan serves
/// every input shape (buffers are sized to the largest shape seen).
/// </summary>
internal sealed class MemoryPlan
{
    public MemoryPlan(Network network)
    {
        int values = network.ValueCount;
        var lastUse = new int[values];
        Array.Fill(lastUse, -1);
        var layers = network.Layers;
        for (int i = 0; i < layers.Count; i++)
            foreach (int v in layers[i].Inputs)
                lastUse[v] = i;
        lastUse[0] = int.MaxValue;
        foreach (int v in network.Outputs) lastUse[v] = int.MaxValue;

        SlotOf = new int[values];
        Array.Fill(SlotOf, -1);
        var free = new Stack<int>();
        SlotOf[0] = SlotCount++;
        for (int i = 0; i < layers.Count; i++)
        {
            int output = layers[i].Output;
            SlotOf[output] = free.Count > 0 ? free.Pop() : SlotCount++;
            // Free after the output is placed, so the output never aliases an input of the same layer.
            foreach (int v in layers[i].Inputs.Distinct())
                if (lastUse[v] == i) free.Push(SlotOf[v]);
            if (lastUse[output] < i) free.Push(SlotOf[output]);
        }
    }

    /// <summary>Buffer index of each value; −1 for values no layer writes (e.g. removed by fusion).</summary>
    public int[] SlotOf { get; }

    /// <summary>Number of buffers.</summary>
    public int SlotCount { get; }
}
