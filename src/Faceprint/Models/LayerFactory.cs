using Faceprint.Core.Graph;
using Faceprint.Core.Kernels;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;

namespace Faceprint.Models;

/// <summary>Appends layers to a <see cref="NetworkBuilder"/> from tensors named as in <see cref="LayerSpecs"/>.</summary>
internal sealed class LayerFactory(NetworkBuilder builder, WeightSet weights)
{
    public int Conv(string name, int input, int inChannels, int kernel, int stride, Padding padding, bool prelu) =>
        builder.Add(new Conv2dLayer(name, input, builder.NewValue(), weights[name + ".weight"], weights[name + ".bias"],
            inChannels, kernel, stride, padding, ActivationOf(name, prelu)));

    public int Depthwise(string name, int input, int kernel, int stride, Padding padding, bool prelu) =>
        builder.Add(new DepthwiseConv2dLayer(name, input, builder.NewValue(), weights[name + ".weight"], weights[name + ".bias"],
            kernel, stride, padding, ActivationOf(name, prelu)));

    public int Linear(string name, int input, int inFeatures, bool prelu) =>
        builder.Add(new FullyConnectedLayer(name, input, builder.NewValue(), weights[name + ".weight"], weights[name + ".bias"],
            inFeatures, ActivationOf(name, prelu)));

    public int MaxPool(string name, int input, int kernel, int stride, Padding padding) =>
        builder.Add(new MaxPool2dLayer(name, input, builder.NewValue(), kernel, stride, padding));

    public int Add(string name, int a, int b) => builder.Add(new AddLayer(name, a, b, builder.NewValue()));

    public int Softmax(string name, int input) => builder.Add(new SoftmaxLayer(name, input, builder.NewValue()));

    private Activation ActivationOf(string name, bool prelu) => prelu ? Activation.PRelu(weights[name + ".alpha"]) : Activation.None;
}
