using static TorchSharp.torch;

namespace Faceprint.Training.Models;

/// <summary>
/// Base of every training module here: submodules and parameters are registered explicitly, with
/// <c>register_module</c>/<c>register_parameter</c>, under the reference PyTorch names the engine expects. TorchSharp's
/// automatic registration of fields under their C# names is switched off, since it would add each field a second time
/// under a name no checkpoint knows. Parameters are read back through their registered name, not a field, so a move
/// to another device (which replaces registered tensors) cannot leave a stale copy behind.
/// </summary>
public abstract class ReferenceModule : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    protected ReferenceModule(string name) : base(name)
    {
    }

    /// <summary>The parameter registered as <paramref name="name"/> on this module.</summary>
    protected TorchSharp.Modules.Parameter Registered(string name) =>
        get_parameter(name) ?? throw new InvalidOperationException($"{GetType().Name} has no parameter '{name}'");

    /// <summary>Does nothing: registration is explicit (see the type).</summary>
    protected sealed override void RegisterComponents()
    {
    }
}
