namespace Faceprint.Core.Graph;

/// <summary>Hands out value ids while a model definition appends layers in order.</summary>
public sealed class NetworkBuilder
{
    private readonly List<Layer> _layers = [];
    private int _values = 1;

    /// <summary>The input value.</summary>
    public const int Input = 0;

    /// <summary>Reserves a new value id.</summary>
    public int NewValue() => _values++;

    /// <summary>Appends a layer and returns its output id.</summary>
    public int Add(Layer layer)
    {
        _layers.Add(layer);
        return layer.Output;
    }

    /// <summary>Finishes the network.</summary>
    public Network Build(string name, int inputChannels, params int[] outputs) => new(name, _layers.ToArray(), _values, outputs, inputChannels);
}
