namespace Faceprint.Import.PyTorch;

/// <summary>The callables a checkpoint pickle may invoke, each one understood (not executed) by the reader.</summary>
internal enum TorchCallable
{
    /// <summary>collections.OrderedDict: a state dict or an empty hook dict.</summary>
    OrderedDict,

    /// <summary>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]).</summary>
    RebuildTensorV2,

    /// <summary>torch._utils._rebuild_parameter(data, requires_grad, hooks): an nn.Parameter wrapping a tensor.</summary>
    RebuildParameter,

    /// <summary>torch._utils._rebuild_parameter_with_state(data, requires_grad, hooks, state).</summary>
    RebuildParameterWithState,
}
